// Follows a build's log (server-sent events, one line each) into #build-log and shows "step N of M".
(function () {
  const log = document.getElementById('build-log');
  if (!log) return;
  const stepLabel = document.getElementById('build-step');
  const state = document.getElementById('build-state');
  const source = new EventSource(log.dataset.source);
  source.onmessage = function (event) {
    log.append(event.data + '\n');
    log.scrollTop = log.scrollHeight;
    const step = /^Step (\d+)\/(\d+) :/.exec(event.data);
    if (step && stepLabel) stepLabel.textContent = 'step ' + step[1] + ' of ' + step[2];
    if (event.data.startsWith('[ds01] ') && state) {
      state.textContent = event.data.substring(7);
      source.close();
      document.querySelectorAll('form[action$="/cancel"]').forEach(function (f) { f.remove(); });
    }
  };
  source.onerror = function () { source.close(); };
})();
