-- Nodes get their real names (DS01_NODE_NAME, default the host name; see ds01.nodes). Rows written while the
-- portal ran one server carry 'local': they belong to the server whose portal runs this migration, the only one
-- there was. The defaults go, so a row can no longer be written without saying which node it lives on.
update container set node = '${ds01_node}' where node = 'local';
update allocation set node = '${ds01_node}' where node = 'local';
update audit_event set node = '${ds01_node}' where node = 'local';
update gpu_request set node = '${ds01_node}' where node = 'local';
update site_base_image set node = '${ds01_node}' where node = 'local';
update jupyter_session set node = '${ds01_node}' where node = 'local';
update container_clock set node = '${ds01_node}' where node = 'local';
update notification set node = '${ds01_node}' where node = 'local';
update lifecycle_exemption set node = '${ds01_node}' where node = 'local';

alter table container alter column node drop default;
alter table allocation alter column node drop default;
alter table audit_event alter column node drop default;
alter table gpu_request alter column node drop default;
alter table site_base_image alter column node drop default;
alter table jupyter_session alter column node drop default;
alter table container_clock alter column node drop default;
alter table notification alter column node drop default;
alter table lifecycle_exemption alter column node drop default;
