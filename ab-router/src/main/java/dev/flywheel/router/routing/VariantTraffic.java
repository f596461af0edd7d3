package dev.flywheel.router.routing;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * One variant's traffic since the last flush (what the database's counters still lack), and its meters:
 * {@code flywheel_router_requests_total{outcome}}, {@code flywheel_router_assignments_total},
 * {@code flywheel_router_request_duration_seconds} and, for shadows, {@code flywheel_router_shadow_rows_total{agreed}};
 * tagged with the model, the A/B test and the variant.
 */
final class VariantTraffic {

	private final LongAdder assignments = new LongAdder();

	private final LongAdder requests = new LongAdder();

	private final LongAdder errors = new LongAdder();

	private final LongAdder slow = new LongAdder();

	private final LongAdder compared = new LongAdder();

	private final LongAdder agreed = new LongAdder();

	private final LongAdder units = new LongAdder();

	private volatile String servedVersion;

	private final Counter answeredMeter;

	private final Counter failedMeter;

	private final Counter assignedMeter;

	private final Counter agreedMeter;

	private final Counter disagreedMeter;

	private final Timer duration;

	VariantTraffic(MeterRegistry meters, String model, String testId, String variant) {
		Tags tags = Tags.of("model", model, "ab_test", testId, "variant", variant);
		this.answeredMeter = Counter.builder("flywheel_router_requests").tags(tags).tag("outcome", "answered")
			.description("Requests routed to the variant").register(meters);
		this.failedMeter = Counter.builder("flywheel_router_requests").tags(tags).tag("outcome", "failed")
			.description("Requests routed to the variant").register(meters);
		this.assignedMeter = Counter.builder("flywheel_router_assignments").tags(tags)
			.description("Units assigned to the variant and counted for the decision").register(meters);
		this.agreedMeter = Counter.builder("flywheel_router_shadow_rows").tags(tags).tag("agreed", "true")
			.description("Rows a shadow answered, by agreement with the answer returned").register(meters);
		this.disagreedMeter = Counter.builder("flywheel_router_shadow_rows").tags(tags).tag("agreed", "false")
			.description("Rows a shadow answered, by agreement with the answer returned").register(meters);
		this.duration = Timer.builder("flywheel_router_request_duration").tags(tags)
			.description("Time the inference service took to answer the variant's requests").register(meters);
	}

	void assigned() {
		assignments.increment();
		assignedMeter.increment();
	}

	/** A unit the router made up for a request that named none: new by construction, counted as it comes. */
	void newUnit() {
		units.increment();
	}

	void answered(long latencyNanos, long boundNanos, String version) {
		requests.increment();
		if (latencyNanos > boundNanos) {
			slow.increment();
		}
		if (version != null && !version.equals(servedVersion)) {
			servedVersion = version;
		}
		answeredMeter.increment();
		duration.record(latencyNanos, TimeUnit.NANOSECONDS);
	}

	void failed(long latencyNanos, long boundNanos) {
		requests.increment();
		errors.increment();
		if (latencyNanos > boundNanos) {
			slow.increment();
		}
		failedMeter.increment();
		duration.record(latencyNanos, TimeUnit.NANOSECONDS);
	}

	void shadowed(int rows, int agreedRows, long latencyNanos) {
		requests.increment();
		compared.add(rows);
		agreed.add(agreedRows);
		answeredMeter.increment();
		agreedMeter.increment(agreedRows);
		disagreedMeter.increment(rows - agreedRows);
		duration.record(latencyNanos, TimeUnit.NANOSECONDS);
	}

	/** What was counted since the last call, taken out of the counters. */
	Delta takeDelta() {
		return new Delta(assignments.sumThenReset(), requests.sumThenReset(), errors.sumThenReset(),
				slow.sumThenReset(), compared.sumThenReset(), agreed.sumThenReset(), units.sumThenReset(), servedVersion);
	}

	/** Puts back a delta that could not be written. */
	void giveBack(Delta delta) {
		assignments.add(delta.assignments());
		requests.add(delta.requests());
		errors.add(delta.errors());
		slow.add(delta.slow());
		compared.add(delta.compared());
		agreed.add(delta.agreed());
		units.add(delta.units());
	}

	record Delta(long assignments, long requests, long errors, long slow, long compared, long agreed, long units,
			String servedVersion) {

		boolean isEmpty() {
			return assignments == 0 && requests == 0 && errors == 0 && slow == 0 && compared == 0 && agreed == 0
					&& units == 0;
		}

	}

}
