/**
 * How the retraining controller launches the training job and follows it to its end: a {@link TrainingLauncher}
 * starts a {@link JobRequest} and hands back a {@link LaunchedJob} whose {@link JobOutcome} says whether a version
 * was published, the gate rejected the candidate, the job failed or it ran past its time limit. The handle of a
 * launched job and its work directory are all a later monitoring process needs to {@link TrainingLauncher#reattach
 * reattach} to it after a restart.
 * <p>
 * {@link LocalProcessLauncher} runs the packaged training pipeline as a local process; {@link KubernetesJobLauncher}
 * runs it as a Kubernetes Job, configured by {@link KubernetesJobSettings}.
 */
package dev.flywheel.monitoring.retraining.launch;
