package dev.flywheel.router.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A server that accepts connections and never answers: a registry that hangs. */
public final class SilentServer implements AutoCloseable {

	private final ServerSocket socket;

	private final List<Socket> connections = new CopyOnWriteArrayList<>();

	private SilentServer(ServerSocket socket) {
		this.socket = socket;
		Thread acceptor = new Thread(this::accept, "silent-server");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	public static SilentServer start() {
		try {
			return new SilentServer(new ServerSocket(0));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public String url() {
		return "http://127.0.0.1:" + socket.getLocalPort();
	}

	private void accept() {
		while (!socket.isClosed()) {
			try {
				connections.add(socket.accept());
			}
			catch (IOException closed) {
				return;
			}
		}
	}

	@Override
	public void close() throws IOException {
		socket.close();
		for (Socket connection : connections) {
			connection.close();
		}
	}

}
