package dev.flywheel.platform.scaling;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a Kubernetes Service does for a set of replicas, on one machine: a TCP port that hands each new connection to
 * the next replica in turn, skipping one that refuses the connection (a replica that is down). A connection stays
 * with its replica for its life, as through kube-proxy; when that replica dies, the connection breaks and the
 * client's next connection goes to another.
 */
final class TcpBalancer implements AutoCloseable {

	private static final int CONNECT_TIMEOUT_MILLIS = 1000;

	private final ServerSocket server;

	private final List<Integer> replicas;

	private final AtomicInteger next = new AtomicInteger();

	private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
		Thread thread = new Thread(runnable, "tcp-balancer");
		thread.setDaemon(true);
		return thread;
	});

	/** Listens on a free loopback port for the replicas listening on {@code replicaPorts}. */
	TcpBalancer(List<Integer> replicaPorts) throws IOException {
		this.replicas = List.copyOf(replicaPorts);
		this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
		threads.execute(this::accept);
	}

	String url() {
		return "http://127.0.0.1:" + server.getLocalPort();
	}

	private void accept() {
		while (!server.isClosed()) {
			try {
				Socket client = server.accept();
				threads.execute(() -> serve(client));
			}
			catch (IOException closed) {
				return;
			}
		}
	}

	private void serve(Socket client) {
		Socket replica = connectToNextReplica();
		if (replica == null) {
			close(client);
			return;
		}
		threads.execute(() -> pipe(client, replica));
		pipe(replica, client);
	}

	private Socket connectToNextReplica() {
		for (int tried = 0; tried < replicas.size(); tried++) {
			int port = replicas.get(Math.floorMod(next.getAndIncrement(), replicas.size()));
			Socket socket = new Socket();
			try {
				socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MILLIS);
				socket.setTcpNoDelay(true);
				return socket;
			}
			catch (IOException down) {
				close(socket);
			}
		}
		return null;
	}

	private static void pipe(Socket from, Socket to) {
		byte[] buffer = new byte[16 * 1024];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			for (int read; (read = in.read(buffer)) >= 0;) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException broken) {
			// one side went away: close both
		}
		finally {
			close(from);
			close(to);
		}
	}

	private static void close(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ignored) {
			// closing anyway
		}
	}

	@Override
	public void close() throws IOException {
		server.close();
		threads.shutdownNow();
	}

}
