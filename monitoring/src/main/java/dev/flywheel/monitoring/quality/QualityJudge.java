package dev.flywheel.monitoring.quality;

import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.flywheel.monitoring.reference.References;
import dev.flywheel.monitoring.reference.VersionKey;

/** Judges each version's live quality in a window against its held-out accuracy ({@link QualityThresholds}). */
@Component
public class QualityJudge {

	private final QualityStore store;

	private final References references;

	QualityJudge(QualityStore store, References references) {
		this.store = store;
		this.references = references;
	}

	/** The versions of {@code model} with predictions made in {@code [from, to)}, in version order. */
	public Mono<List<VersionQuality>> judge(String model, long from, long to) {
		return store.window(model, from, to)
			.flatMapMany(versions -> Flux.fromIterable(versions.entrySet()))
			.concatMap(entry -> {
				QualityReport report = QualityReport.ofClassifier(entry.getValue().predictions(),
						entry.getValue().labelled());
				return references.of(new VersionKey(model, entry.getKey()))
					.map(References.Reference::heldOutAccuracy)
					.defaultIfEmpty(Double.NaN)
					.map(heldOut -> new VersionQuality(entry.getKey(), report, heldOut, Double.isNaN(heldOut) ? null
							: QualityThresholds.DEFAULTS.judge(report.classification(), heldOut)));
			})
			.collectList();
	}

}
