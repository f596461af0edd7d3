package dev.flywheel.router.decision;

/**
 * What the guardrails watch for one variant: the requests it answered, how many of those failed, and how many took
 * longer than the latency guardrail's bound. Counted per request, not per matured label, so harm shows long before
 * the labels arrive.
 *
 * @param requests requests routed to the variant
 * @param errors requests that failed (an error status or a timeout)
 * @param overLatencyBound requests slower than {@link LatencyGuardrail#bound()}
 */
public record RequestCounts(long requests, long errors, long overLatencyBound) {

	/** No requests yet, or no guardrails. */
	public static final RequestCounts NONE = new RequestCounts(0, 0, 0);

	public RequestCounts {
		if (requests < 0 || errors < 0 || overLatencyBound < 0 || errors > requests || overLatencyBound > requests) {
			throw new IllegalArgumentException("Errors and slow requests are counts among the requests: " + requests
					+ " requests, " + errors + " errors, " + overLatencyBound + " over the latency bound");
		}
	}

	/** Each request's error indicator (1 failed, 0 answered) as reward totals, for the sequential tests. */
	public RewardStats errorIndicators() {
		return RewardStats.ofBinary(requests, errors);
	}

	/** Each request's "slower than the bound" indicator as reward totals. */
	public RewardStats overLatencyBoundIndicators() {
		return RewardStats.ofBinary(requests, overLatencyBound);
	}

}
