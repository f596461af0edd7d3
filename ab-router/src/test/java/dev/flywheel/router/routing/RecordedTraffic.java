package dev.flywheel.router.routing;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;

import dev.flywheel.router.assignment.UnitKey;
import dev.flywheel.router.support.RouterServer;

/**
 * Predictions recorded by a router as if it had answered them, without an inference service: what a test of the
 * feedback path needs from the prediction path.
 */
public final class RecordedTraffic {

	private RecordedTraffic() {
	}

	/**
	 * Records that {@code router} answered the predictions {@code ids} (each labelled as in {@code labels}) of
	 * {@code model} version {@code version}, routed by the model's running A/B test (each for a made-up unit), and
	 * writes them to the database.
	 */
	public static void record(RouterServer router, String model, String version, List<String> ids,
			List<String> labels) {
		answered(router, model, version, ids, labels);
		router.bean(TrafficRecorder.class).flush().block(Duration.ofSeconds(30));
	}

	/** As {@link #record}, leaving the predictions in memory for the router's next flush. */
	public static void answered(RouterServer router, String model, String version, List<String> ids,
			List<String> labels) {
		RunningTests running = router.bean(RunningTests.class);
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> running.of(model).isPresent());
		TrafficRecorder recorder = router.bean(TrafficRecorder.class);
		for (int i = 0; i < ids.size(); i++) {
			Route route = running.of(model).orElseThrow().route(new UnitKey("unit-" + ids.get(i), true), Map.of());
			recorder.served(model, route, new ServedPredictions(version, List.of(ids.get(i)), List.of(labels.get(i)),
					new byte[0], null), 1_000_000);
		}
	}

}
