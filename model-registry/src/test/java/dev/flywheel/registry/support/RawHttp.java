package dev.flywheel.registry.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no HTTP client will send as written: a request target with {@code ..}
 * segments or a raw backslash exactly as given, a body cut off before its declared length, or a body the server may
 * refuse before reading it. Every request asks for {@code Connection: close}.
 */
public final class RawHttp {

	private RawHttp() {
	}

	/** A response: status, headers (names lower-cased) and the body, chunked encoding undone. */
	public record Response(int status, Map<String, String> headers, byte[] body) {

		public String header(String name) {
			return headers.get(name.toLowerCase(Locale.ROOT));
		}

		public String text() {
			return new String(body, StandardCharsets.UTF_8);
		}

	}

	/** Sends the request line, headers and the whole body (may be null), and reads the answer. */
	public static Response exchange(int port, String method, String target, byte[] body) {
		try (Socket socket = begin(port, method, target, body == null ? 0 : body.length)) {
			if (body != null) {
				// written from another thread: the server may answer (and close) before it reads the body
				Thread writer = new Thread(() -> {
					try {
						OutputStream out = socket.getOutputStream();
						out.write(body);
						out.flush();
					}
					catch (IOException ex) {
						// refused early; the answer is what counts
					}
				}, "raw-http-body");
				writer.setDaemon(true);
				writer.start();
			}
			return read(socket.getInputStream());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(method + " " + target + " failed", ex);
		}
	}

	/** Opens a connection and sends the request line and headers declaring {@code contentLength}; no body yet. */
	public static Socket begin(int port, String method, String target, long contentLength) {
		try {
			Socket socket = new Socket("127.0.0.1", port);
			socket.setSoTimeout(30_000);
			String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
					+ "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + contentLength
					+ "\r\nConnection: close\r\n\r\n";
			socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
			socket.getOutputStream().flush();
			return socket;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(method + " " + target + " failed", ex);
		}
	}

	private static Response read(InputStream in) throws IOException {
		String statusLine = line(in);
		if (statusLine == null) {
			throw new IOException("The server closed the connection without an answer");
		}
		int status = Integer.parseInt(statusLine.split(" ")[1]);
		Map<String, String> headers = new LinkedHashMap<>();
		for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
			int colon = line.indexOf(':');
			headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
		}
		byte[] body;
		if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0; size = Integer
				.parseInt(line(in).split(";")[0].trim(), 16)) {
				out.write(in.readNBytes(size));
				line(in);
			}
			body = out.toByteArray();
		}
		else if (headers.containsKey("content-length")) {
			body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
		}
		else {
			body = in.readAllBytes();
		}
		return new Response(status, headers, body);
	}

	private static String line(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int b = in.read(); b != -1; b = in.read()) {
			if (b == '\n') {
				String text = line.toString(StandardCharsets.ISO_8859_1);
				return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
			}
			line.write(b);
		}
		return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
	}

}
