package ds01.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A mail server for the tests: speaks enough SMTP on 127.0.0.1 for the portal's real SMTP client to deliver to
 * it, and keeps each message as received (envelope recipient and the raw data).
 */
public final class SmtpSink {

    public record Message(String to, String data) {
    }

    private final ServerSocket server;
    public final List<Message> received = new CopyOnWriteArrayList<>();

    private SmtpSink(ServerSocket server) {
        this.server = server;
    }

    public static SmtpSink start() {
        try {
            SmtpSink sink = new SmtpSink(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            Thread accept = new Thread(sink::serve, "smtp-sink");
            accept.setDaemon(true);
            accept.start();
            return sink;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket client = server.accept()) {
                converse(client);
            } catch (IOException e) {
                // a client that hung up: wait for the next
            }
        }
    }

    private void converse(Socket client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = client.getOutputStream();
        say(out, "220 sink ESMTP");
        String to = null;
        String line;
        while ((line = in.readLine()) != null) {
            String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line;
            switch (verb) {
                case "EHLO", "HELO" -> say(out, "250 sink");
                case "RCPT" -> {
                    to = line.replaceAll("(?i)^RCPT TO:\\s*<?([^>]*)>?.*$", "$1");
                    say(out, "250 ok");
                }
                case "DATA" -> {
                    say(out, "354 go on");
                    StringBuilder data = new StringBuilder();
                    while ((line = in.readLine()) != null && !line.equals(".")) {
                        data.append(line).append('\n');
                    }
                    received.add(new Message(to, data.toString()));
                    say(out, "250 kept");
                }
                case "QUIT" -> {
                    say(out, "221 bye");
                    return;
                }
                default -> say(out, "250 ok");
            }
        }
    }

    private static void say(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
