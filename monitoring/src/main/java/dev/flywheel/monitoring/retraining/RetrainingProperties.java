package dev.flywheel.monitoring.retraining;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.flywheel.monitoring.retraining.launch.KubernetesJobSettings;

/**
 * Retraining's settings ({@code flywheel.monitoring.retraining.*}).
 *
 * @param cooldown the least time between the starts of two jobs of a model (a forced manual trigger skips it)
 * @param maxPerDay the most jobs of a model started in any 24 hours
 * @param maxAttempts the most attempts of one retraining (the first and its retries)
 * @param retryDelay the wait before a failed or timed-out job is tried again
 * @param timeLimit the longest a training job may run before it is stopped
 * @param trainingJar the training pipeline's jar, run as {@code java -jar JAR train --spec S --registry R}
 * @param command a command run instead of {@code java -jar trainingJar} (given {@code train --spec S --registry R}),
 * for a wrapper of one's own; empty by default
 * @param launcher where the training job runs: {@code local} (a process beside monitoring, from {@code trainingJar}
 * or {@code command}) or {@code kubernetes} (a Kubernetes Job, as {@code kubernetes} says)
 * @param kubernetes the Kubernetes Job launcher's settings
 * @param abTest how a retrained version that passed its gate is tested against the champion
 * @param triggerInterval how often the quality, new-label and schedule triggers are looked at
 * @param triggers the automatic triggers of every model
 * @param models the automatic triggers of some models, by name: what they set replaces {@code triggers}' value
 */
@ConfigurationProperties("flywheel.monitoring.retraining")
public record RetrainingProperties(@DefaultValue("24h") Duration cooldown, @DefaultValue("3") int maxPerDay,
		@DefaultValue("3") int maxAttempts, @DefaultValue("5m") Duration retryDelay,
		@DefaultValue("1h") Duration timeLimit,
		@DefaultValue("training-pipeline/target/training-pipeline-0.1.0-SNAPSHOT.jar") Path trainingJar,
		@DefaultValue List<String> command, @DefaultValue("local") Launcher launcher,
		@DefaultValue Kubernetes kubernetes, @DefaultValue AbTest abTest, @DefaultValue("1m") Duration triggerInterval,
		@DefaultValue Triggers triggers, Map<String, TriggerOverrides> models) {

	public RetrainingProperties {
		models = models == null ? Map.of() : Map.copyOf(models);
	}

	/** Where the training job runs. */
	public enum Launcher {

		/** A local process ({@code LocalProcessLauncher}). */
		LOCAL,

		/** A Kubernetes Job ({@code KubernetesJobLauncher}). */
		KUBERNETES

	}

	/**
	 * The Kubernetes Job launcher's settings ({@code kubernetes.*}); {@link KubernetesJobSettings} says what each is.
	 *
	 * @param apiServer the API server's URL; none: the client finds it (in a pod, from its service account)
	 * @param apiTimeout the longest one API call may take, connecting included
	 * @param namespace the Jobs' namespace; none: the client's (in a pod, monitoring's own)
	 * @param image the Jobs' image
	 * @param imagePullPolicy its pull policy
	 * @param command what runs the training pipeline in the image; empty: {@code java -jar
	 * /opt/flywheel/training-pipeline.jar}
	 * @param cpuRequest the container's CPU request
	 * @param cpuLimit its CPU limit
	 * @param memoryRequest its memory request
	 * @param memoryLimit its memory limit
	 * @param backoffLimit the Job's {@code backoffLimit}
	 * @param ttlAfterFinished the Job's {@code ttlSecondsAfterFinished}
	 * @param serviceAccount the Job's service account; none: the namespace's default
	 * @param volume the volume holding the snapshots, shared with monitoring
	 * @param envFromSecret a Secret whose entries are the Job's environment variables
	 * @param keepFinishedJobs whether finished Jobs are left in the cluster
	 * @param pollInterval how often a followed Job's status is read
	 */
	public record Kubernetes(URI apiServer, @DefaultValue("10s") Duration apiTimeout, String namespace,
			@DefaultValue(KubernetesJobSettings.DEFAULT_IMAGE) String image,
			@DefaultValue("IfNotPresent") String imagePullPolicy, @DefaultValue List<String> command,
			@DefaultValue("500m") String cpuRequest, @DefaultValue("2") String cpuLimit,
			@DefaultValue("1Gi") String memoryRequest, @DefaultValue("2Gi") String memoryLimit,
			@DefaultValue("0") int backoffLimit, @DefaultValue("1d") Duration ttlAfterFinished, String serviceAccount,
			@DefaultValue Volume volume, String envFromSecret, @DefaultValue("false") boolean keepFinishedJobs,
			@DefaultValue("2s") Duration pollInterval) {

		KubernetesJobSettings settings() {
			return new KubernetesJobSettings(apiServer, apiTimeout, namespace, image, imagePullPolicy, command,
					cpuRequest, cpuLimit, memoryRequest, memoryLimit, backoffLimit, ttlAfterFinished, serviceAccount,
					volume.claimName(), volume.mountPath(), envFromSecret, keepFinishedJobs, pollInterval);
		}

	}

	/**
	 * The PersistentVolumeClaim monitoring keeps its snapshots on, which the Jobs mount (read-only) to read them.
	 *
	 * @param claimName the claim; none: no volume
	 * @param mountPath where it is mounted, in monitoring and in the Jobs alike: monitoring's home
	 * ({@code FLYWHEEL_HOME}), under which the snapshots are
	 */
	public record Volume(String claimName,
			@DefaultValue(KubernetesJobSettings.DEFAULT_MOUNT_PATH) String mountPath) {
	}

	/**
	 * A model's automatic triggers.
	 *
	 * @param drift whether the drift alarm triggers retraining
	 * @param driftWindows the alarmed windows needed (k of {@code driftOf}) before it fires
	 * @param driftOf the last windows looked at (n)
	 * @param quality whether live quality dropping under the held-out accuracy triggers retraining
	 * @param newLabels the labelled predictions arrived since the last job that trigger retraining; 0: never
	 * @param schedule the time after the last job (or the first prediction seen) that triggers retraining; 0: never
	 * @param minLabels the labelled predictions since the last job that a drift, quality or schedule trigger waits
	 * for before it launches a job (it stays pending until then); 0: it does not wait
	 */
	public record Triggers(@DefaultValue("true") boolean drift, @DefaultValue("3") int driftWindows,
			@DefaultValue("4") int driftOf, @DefaultValue("true") boolean quality, @DefaultValue("0") long newLabels,
			@DefaultValue("0s") Duration schedule, @DefaultValue("0") long minLabels) {
	}

	/** What a model sets of its own ({@code models.<name>.*}); what it leaves out is the default's. */
	public record TriggerOverrides(Boolean drift, Integer driftWindows, Integer driftOf, Boolean quality,
			Long newLabels, Duration schedule, Long minLabels) {
	}

	/** The triggers of {@code model}: its own settings over the defaults. */
	Triggers triggersOf(String model) {
		TriggerOverrides own = models.get(model);
		if (own == null) {
			return triggers;
		}
		return new Triggers(own.drift() != null ? own.drift() : triggers.drift(),
				own.driftWindows() != null ? own.driftWindows() : triggers.driftWindows(),
				own.driftOf() != null ? own.driftOf() : triggers.driftOf(),
				own.quality() != null ? own.quality() : triggers.quality(),
				own.newLabels() != null ? own.newLabels() : triggers.newLabels(),
				own.schedule() != null ? own.schedule() : triggers.schedule(),
				own.minLabels() != null ? own.minLabels() : triggers.minLabels());
	}

	/**
	 * @param enabled whether a test is started at all (else the version is only made challenger)
	 * @param challengerWeight the challenger's share of the traffic, in percent (the champion gets the rest)
	 * @param action what the router does on a decision: {@code promote}, {@code rollback} or {@code report}
	 * @param minSamples the matured rewards per variant before any decision, or null for the router's default
	 */
	public record AbTest(@DefaultValue("true") boolean enabled, @DefaultValue("50") int challengerWeight,
			@DefaultValue("promote") String action, Integer minSamples) {
	}

	RetrainingSettings settings() {
		return new RetrainingSettings(cooldown, maxPerDay, maxAttempts, retryDelay, timeLimit);
	}

	RouterAccess.AbTestPolicy abTestPolicy() {
		return new RouterAccess.AbTestPolicy(abTest.enabled(), abTest.challengerWeight(), abTest.action(),
				abTest.minSamples());
	}

}
