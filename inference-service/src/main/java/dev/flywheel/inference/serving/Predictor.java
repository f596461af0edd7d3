package dev.flywheel.inference.serving;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.flywheel.inference.batching.Batcher;
import dev.flywheel.inference.predictionlog.PredictionLog;
import dev.flywheel.support.EventLoopAffinity;
import dev.flywheel.inference.system.InferenceMetrics;
import dev.flywheel.inference.system.InferenceMetrics.VersionMeters;
import dev.flywheel.inference.system.InferenceProperties;

/**
 * The one path every prediction API takes: pick the version, parse the request against its signature, queue the rows
 * for its batcher, and, once computed, record the metrics and hand the prediction to the prediction log. The version
 * picked is held until its answer is computed, so a swap meanwhile does not take it away.
 */
@Component
public class Predictor {

	private final ServedModels models;

	private final InferenceMetrics metrics;

	private final PredictionLog log;

	private final int maxRows;

	public Predictor(ServedModels models, InferenceMetrics metrics, PredictionLog log,
			InferenceProperties properties) {
		this.models = models;
		this.metrics = metrics;
		this.log = log;
		this.maxRows = properties.inference().limits().maxRows();
	}

	/**
	 * @param model the registered model name
	 * @param versionOrAlias a version number or an alias; null for the champion
	 * @param parser reads the request's rows against the picked version's signature
	 * @param variant the A/B variant the router assigned the request to, or null
	 */
	public Mono<Prediction> predict(String model, String versionOrAlias, Function<FeatureSchema, Rows> parser,
			String variant) {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			requireServed(model);
			ServedModel served = models.get(model);
			LoadedVersion version;
			try {
				version = served.acquire(versionOrAlias);
			}
			catch (InferenceException ex) {
				metrics.of(model, "none").outcome(ex.outcome());
				throw ex;
			}
			VersionMeters meters = metrics.of(model, version.version());
			Rows rows;
			try {
				rows = checked(parser.apply(version.schema()));
				CompletableFuture<Batcher.Result> computed = version.submit(rows);
				// Released once the batcher is done with the rows, whatever became of the request. The release hangs on
				// the batcher's own future, which a client hanging up does not cancel (suppressCancel): a cancelled
				// dependent future would skip it, and the version would stay loaded after every later swap.
				computed.whenComplete((result, failure) -> version.release());
				return Mono.fromFuture(computed, true)
					.as(EventLoopAffinity::backToEventLoop)
					.map(result -> answered(version, rows, result, meters, start, variant))
					.doOnError(InferenceException.class, ex -> meters.outcome(ex.outcome()));
			}
			catch (InferenceException ex) {
				version.release();
				meters.outcome(ex.outcome());
				throw ex;
			}
			catch (RuntimeException ex) {
				version.release();
				meters.outcome("error");
				throw ex;
			}
		});
	}

	/** Fails with 404, counted, when {@code model} is not served here: before the request's body is read. */
	public void requireServed(String model) {
		if (!models.contains(model)) {
			InferenceException unknown = InferenceException.notFound("Model '" + model
					+ "' is not served here; served models: " + models.names());
			rejected(model, unknown);
			throw unknown;
		}
	}

	/** Counts a request refused before a version was picked (it could not be read at all). */
	public void rejected(String model, InferenceException reason) {
		metrics.of(models.contains(model) ? model : "unknown", "none").outcome(reason.outcome());
	}

	private Rows checked(Rows rows) {
		if (rows.count() == 0) {
			throw InferenceException.badInput("The request holds no rows: send at least one");
		}
		if (rows.count() > maxRows) {
			throw InferenceException.badInput("The request holds " + rows.count() + " rows; the limit is " + maxRows
					+ " (flywheel.inference.limits.max-rows): split it");
		}
		return rows;
	}

	private Prediction answered(LoadedVersion version, Rows rows, Batcher.Result result, VersionMeters meters,
			long start, String variant) {
		Prediction prediction = new Prediction(version.model(), version.version(), rows, result.outputs(),
				result.width(), PredictionIds.next(rows.count()));
		long latency = System.nanoTime() - start;
		meters.outcome("success");
		meters.request(latency);
		meters.queue(result.queueNanos());
		meters.compute(result.computeNanos());
		log.offer(prediction, variant, latency);
		return prediction;
	}

}
