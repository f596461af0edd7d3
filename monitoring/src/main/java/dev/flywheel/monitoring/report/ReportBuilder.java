package dev.flywheel.monitoring.report;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;

import dev.flywheel.monitoring.drifting.DriftMonitor;
import dev.flywheel.monitoring.quality.QualityJudge;
import dev.flywheel.monitoring.retraining.JobStore;
import dev.flywheel.monitoring.retraining.RouterAccess;

/** Gathers a model's report: drift windows, daily quality of the last {@link #DAYS} days, A/B tests and jobs. */
@Component
class ReportBuilder {

	static final int DAYS = 14;

	private final DriftMonitor drift;

	private final QualityJudge quality;

	private final RouterAccess router;

	private final JobStore jobs;

	private final Clock clock;

	ReportBuilder(DriftMonitor drift, QualityJudge quality, RouterAccess router, JobStore jobs, Clock clock) {
		this.drift = drift;
		this.quality = quality;
		this.router = router;
		this.jobs = jobs;
		this.clock = clock;
	}

	Mono<ModelReport> build(String model) {
		long now = clock.millis();
		long today = Instant.ofEpochMilli(now).truncatedTo(ChronoUnit.DAYS).toEpochMilli();
		long day = Duration.ofDays(1).toMillis();
		Mono<List<ModelReport.Day>> days = Flux.range(0, DAYS)
			.map(back -> today - (DAYS - 1 - back) * day)
			.concatMap(from -> quality.judge(model, from, from + day).map(versions -> new ModelReport.Day(from,
					versions)))
			.collectList();
		Mono<Object[]> abTests = Mono.fromCallable(() -> new Object[] { router.abTests(model), null })
			.subscribeOn(Schedulers.boundedElastic())
			.onErrorResume(ex -> Mono.just(new Object[] { null, "the router could not be asked: " + (ex.getMessage() == null ? ex.toString()
						: ex.getMessage()) }));
		return Mono.zip(days, abTests, jobs.list(model, 20)).map(parts -> {
			@SuppressWarnings("unchecked")
			List<JsonNode> tests = (List<JsonNode>) parts.getT2()[0];
			return new ModelReport(model, now, drift.windows(model), parts.getT1(), tests,
					(String) parts.getT2()[1], parts.getT3());
		});
	}

}
