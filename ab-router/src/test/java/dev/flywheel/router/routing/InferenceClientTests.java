package dev.flywheel.router.routing;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.LoopResources;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.http.client.ReactorResourceFactory;

import dev.flywheel.router.system.RouterProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What reaches the inference service, byte for byte, for paths of odd model names; and on which thread the answer
 * comes back.
 */
class InferenceClientTests {

	private final List<String> received = new CopyOnWriteArrayList<>();

	private HttpServer server;

	private InferenceClient client;

	@BeforeEach
	void start() throws Exception {
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", exchange -> {
			URI uri = exchange.getRequestURI();
			received.add(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
			exchange.getRequestBody().readAllBytes();
			byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		server.start();
		client = client(new StaticListableBeanFactory());
	}

	private InferenceClient client(StaticListableBeanFactory beans) {
		URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
		return new InferenceClient(new RouterProperties(null, null,
				new RouterProperties.Inference(url, Duration.ofSeconds(5), List.of(), 4), null, null, null),
				beans.getBeanProvider(ReactorResourceFactory.class));
	}

	@AfterEach
	void stop() throws Exception {
		client.destroy();
		server.stop(0);
	}

	@Test
	void forwardsAPredictionPathAsEncodedOnce() {
		for (Protocol protocol : Protocol.values()) {
			InferenceAnswer answer = client.post(protocol.path("team/fraud model", "3"), new byte[] { '{', '}' },
					"application/json", "control").block();

			assertThat(answer.status()).isEqualTo(200);
		}

		assertThat(received).containsExactly("/v2/models/team%2Ffraud%20model/versions/3/infer",
				"/v1/models/team%2Ffraud%20model:predict?version=3", "/invocations?model=team%2Ffraud%20model&version=3");
	}

	@Test
	void forwardsAReadPathAsItCame() {
		client.get("/v2/models/fraud%20model/ready").block();
		client.get("/v1/models/team%2Ffraud").block();

		assertThat(received).containsExactly("/v2/models/fraud%20model/ready", "/v1/models/team%2Ffraud");
	}

	/**
	 * A request sent from one of the server's event loops is answered on that loop, whichever loop asked before: the
	 * connection it gets lives there. (From one shared pool, the second loop to ask got the first one's connection,
	 * and its answer came on the first loop's thread.)
	 */
	@Test
	void aRequestSentFromAnEventLoopIsAnsweredOnThatLoop() throws Exception {
		ReactorResourceFactory resources = new ReactorResourceFactory();
		resources.setUseGlobalResources(false);
		resources.afterPropertiesSet();
		InferenceClient onLoops = client(new StaticListableBeanFactory(Map.of("resources", resources)));
		try {
			List<EventLoop> loops = new ArrayList<>();
			resources.getLoopResources().onServer(LoopResources.DEFAULT_NATIVE).forEach(e -> loops.add((EventLoop) e));
			assertThat(loops).hasSizeGreaterThan(1);
			for (int pass = 0; pass < 2; pass++) {
				for (EventLoop loop : loops) {
					Thread loopThread = loop.submit(Thread::currentThread).get(5, TimeUnit.SECONDS);
					CompletableFuture<Thread> answeredOn = new CompletableFuture<>();
					loop.execute(() -> onLoops.post("/v2/models/iris/infer", new byte[] { '{', '}' }, "application/json",
							null).subscribe(answer -> answeredOn.complete(Thread.currentThread()),
									answeredOn::completeExceptionally));
					assertThat(answeredOn.get(5, TimeUnit.SECONDS)).as("pass %d", pass).isSameAs(loopThread);
				}
			}
		}
		finally {
			onLoops.destroy();
			resources.destroy();
		}
	}

}
