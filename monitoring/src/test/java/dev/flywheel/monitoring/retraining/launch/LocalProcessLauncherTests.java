package dev.flywheel.monitoring.retraining.launch;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The launcher on shell stand-ins for the training job, which print what the real one prints and exit as it does. */
class LocalProcessLauncherTests {

	private static final URI REGISTRY = URI.create("http://127.0.0.1:5000");

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	@TempDir
	Path temp;

	@Test
	void aPublishedVersionSucceedsWithItsVersionAndTheJobGetsItsArgumentsAndEnvironment() throws Exception {
		LocalProcessLauncher launcher = launcher("""
				echo "args: $*"
				echo "threads: $OMP_NUM_THREADS, extra: $EXTRA"
				cat "$SAMPLE"
				""");
		Path spec = Files.writeString(this.temp.resolve("iris.yaml"), "model: iris-species\n");
		Path sample = Files.writeString(this.temp.resolve("sample.txt"), TrainOutputSamples.PUBLISHED);
		JobRequest request = new JobRequest("retrain-1", spec, REGISTRY, GENEROUS, this.temp.resolve("job"),
				Map.of("SAMPLE", sample.toString(), "EXTRA", "yes"));

		LaunchedJob job = launcher.launch(request);
		JobOutcome outcome = job.outcome().block(GENEROUS);

		assertThat(outcome.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
		assertThat(outcome.exitCode()).isZero();
		assertThat(outcome.newVersion()).isEqualTo("3");
		assertThat(outcome.reason()).isEqualTo("published iris-species version 3 as challenger");
		assertThat(outcome.logTail()).startsWith("args: train --spec " + spec + " --registry " + REGISTRY,
				"threads: 1, extra: yes");
		assertThat(outcome.logTail()).endsWith("Gate: passed", "Bundle digest: " + TrainOutputSamples.DIGEST);
		assertThat(job.handle()).isEqualTo(Long.toString(Long.parseLong(job.handle())));
		assertThat(job.await()).isSameAs(outcome);
		assertThat(Files.readString(request.workDirectory().resolve(LocalProcessLauncher.EXIT_CODE))).isEqualTo("0\n");
		assertThat(Instant.parse(Files.readString(request.workDirectory().resolve(LocalProcessLauncher.STARTED_AT))))
			.isBefore(Instant.now());
	}

	@Test
	void aRejectedCandidateIsRejectedWithTheVersionRegisteredWithoutAlias() throws Exception {
		Files.writeString(this.temp.resolve("sample.txt"), TrainOutputSamples.REJECTED);
		JobOutcome outcome = launcher("cat ../sample.txt\nexit 1\n").launch(request("job")).await();
		assertThat(outcome.status()).isEqualTo(OutcomeStatus.REJECTED);
		assertThat(outcome.exitCode()).isEqualTo(1);
		assertThat(outcome.newVersion()).isEqualTo("4");
		assertThat(outcome.reason()).contains("rejected", "accuracy 0.7000 is below the minimum 0.9300");
	}

	@Test
	void badInputFailsWithTheErrorTheJobPrintedOnStandardError() throws Exception {
		LocalProcessLauncher launcher = launcher("echo 'error: the dataset iris.csv does not exist' >&2\nexit 2\n");
		Path work = this.temp.resolve("job");
		LaunchedJob job = launcher.launch(request("job"));
		JobOutcome outcome = job.await();
		assertThat(outcome.status()).isEqualTo(OutcomeStatus.FAILED);
		assertThat(outcome.exitCode()).isEqualTo(2);
		assertThat(outcome.newVersion()).isNull();
		assertThat(outcome.reason()).isEqualTo("bad input (exit 2): the dataset iris.csv does not exist");

		JobOutcome again = launcher("exit 0\n").reattach(job.handle(), work).await();
		assertThat(again).isEqualTo(outcome);
		assertThatIllegalStateException().isThrownBy(() -> launcher.launch(request("job")));
	}

	@Test
	void aJobPastItsTimeLimitIsStoppedWithItsWholeProcessTree() throws Exception {
		LaunchedJob job = launcher("echo started\nsleep 60\necho 'never printed'\n")
			.launch(new JobRequest("slow", this.temp.resolve("spec.yaml"), REGISTRY, Duration.ofSeconds(1),
					this.temp.resolve("job")));
		ProcessHandle wrapper = ProcessHandle.of(Long.parseLong(job.handle())).orElseThrow();
		List<ProcessHandle> tree = awaitDescendants(wrapper, 2);
		long start = System.nanoTime();

		JobOutcome outcome = job.await();

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(outcome.status()).isEqualTo(OutcomeStatus.TIMED_OUT);
		assertThat(outcome.exitCode()).isNull();
		assertThat(outcome.reason()).isEqualTo("ran past its time limit of PT1S and was stopped");
		assertThat(outcome.logTail()).startsWith("started").doesNotContain("never printed");
		tree.add(wrapper);
		assertThat(tree).hasSizeGreaterThanOrEqualTo(3).noneMatch(ProcessTree::isRunning);
		assertGone(tree);
		assertThat(this.temp.resolve("job").resolve(LocalProcessLauncher.TIMED_OUT)).exists();
	}

	@Test
	void aNewLauncherFollowsAJobStartedByAnotherToItsOutcome() throws Exception {
		Files.writeString(this.temp.resolve("sample.txt"), TrainOutputSamples.PUBLISHED);
		String handle = launcher("sleep 1\ncat ../sample.txt\n").launch(request("job")).handle();
		assertThat(this.temp.resolve("job").resolve(LocalProcessLauncher.EXIT_CODE)).doesNotExist();

		JobOutcome outcome = launcher("exit 3\n").reattach(handle, this.temp.resolve("job")).await();

		assertThat(outcome.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
		assertThat(outcome.newVersion()).isEqualTo("3");
	}

	@Test
	void aReattachedJobIsStillStoppedAtItsTimeLimitCountedFromItsStart() throws Exception {
		Path work = this.temp.resolve("job");
		String handle = launcher("sleep 60\n").launch(new JobRequest("slow", this.temp.resolve("spec.yaml"), REGISTRY,
				Duration.ofMillis(1500), work)).handle();
		ProcessHandle wrapper = ProcessHandle.of(Long.parseLong(handle)).orElseThrow();
		List<ProcessHandle> tree = awaitDescendants(wrapper, 1);
		long start = System.nanoTime();

		JobOutcome outcome = launcher("exit 0\n").reattach(handle, work).await();

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(outcome.status()).isEqualTo(OutcomeStatus.TIMED_OUT);
		tree.add(wrapper);
		assertThat(tree).noneMatch(ProcessTree::isRunning);
		assertGone(tree);
		assertThat(launcher("exit 0\n").reattach(handle, work).await().status()).isEqualTo(OutcomeStatus.TIMED_OUT);
	}

	@Test
	void aJobGoneWithoutAnExitCodeFailsWithAReason() throws Exception {
		Process gone = new ProcessBuilder("/bin/sh", "-c", "exit 0").start();
		gone.waitFor();
		Path work = Files.createDirectories(this.temp.resolve("job"));
		Files.writeString(work.resolve(LocalProcessLauncher.STARTED_AT), Instant.now().minusSeconds(60).toString());
		Files.writeString(work.resolve(LocalProcessLauncher.TIME_LIMIT), "PT1H");
		Files.writeString(work.resolve(LocalProcessLauncher.LOG), "epoch 1/200  loss 1.0712\n");

		JobOutcome outcome = launcher("exit 0\n").reattach(Long.toString(gone.pid()), work).await();

		assertThat(outcome.status()).isEqualTo(OutcomeStatus.FAILED);
		assertThat(outcome.exitCode()).isNull();
		assertThat(outcome.newVersion()).isNull();
		assertThat(outcome.reason()).isEqualTo("the job's process (pid " + gone.pid()
				+ ") is gone without an exit code: it was killed, or the machine restarted, before the job ended");
		assertThat(outcome.logTail()).containsExactly("epoch 1/200  loss 1.0712");
	}

	@Test
	void aPidReusedByAnotherProcessIsNotTakenForTheJob() throws Exception {
		Path work = Files.createDirectories(this.temp.resolve("job"));
		Files.writeString(work.resolve(LocalProcessLauncher.STARTED_AT), Instant.now().minusSeconds(3600).toString());
		Files.writeString(work.resolve(LocalProcessLauncher.TIME_LIMIT), "PT2H");
		String self = Long.toString(ProcessHandle.current().pid());

		JobOutcome outcome = launcher("exit 0\n").reattach(self, work).await();

		assertThat(outcome.status()).isEqualTo(OutcomeStatus.FAILED);
		assertThat(ProcessHandle.current().isAlive()).isTrue();
	}

	@Test
	void theLogTailHoldsTheLastFiftyLines() throws Exception {
		JobOutcome outcome = launcher("i=1\nwhile [ $i -le 120 ]; do echo \"line $i\"; i=$((i + 1)); done\n")
			.launch(request("job"))
			.await();
		assertThat(outcome.logTail()).hasSize(JobOutcome.LOG_TAIL_LINES)
			.isEqualTo(IntStream.rangeClosed(71, 120).mapToObj(i -> "line " + i).toList());
		assertThat(outcome.reason()).isEqualTo("exited 0 but its output names no model version");
	}

	@Test
	void reattachNeedsAPidAndAWorkDirectoryWithAJob() {
		LocalProcessLauncher launcher = launcher("exit 0\n");
		assertThatIllegalArgumentException().isThrownBy(() -> launcher.reattach("job-7", this.temp))
			.withMessageContaining("pid");
		assertThatIllegalArgumentException().isThrownBy(() -> launcher.reattach("12345", this.temp))
			.withMessageContaining("No training job was started in");
	}

	@Test
	void theJarLauncherRunsThisJvmsJava() {
		assertThat(LocalProcessLauncher.forJar(Path.of("training-pipeline-0.1.0-SNAPSHOT.jar")))
			.extracting("command")
			.asList()
			.containsExactly(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
					Path.of("training-pipeline-0.1.0-SNAPSHOT.jar").toAbsolutePath().toString());
	}

	private LocalProcessLauncher launcher(String script) {
		Path file = this.temp.resolve("stand-in-" + System.nanoTime() + ".sh");
		try {
			Files.writeString(file, script);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return new LocalProcessLauncher(List.of("/bin/sh", file.toString()), Duration.ofSeconds(2));
	}

	private JobRequest request(String work) {
		return new JobRequest(work, this.temp.resolve("spec.yaml"), REGISTRY, GENEROUS, this.temp.resolve(work));
	}

	/** The wrapper's descendants once there are at least {@code count} (the stand-in's shell and its sleep). */
	private static List<ProcessHandle> awaitDescendants(ProcessHandle wrapper, int count) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		List<ProcessHandle> descendants = wrapper.descendants().toList();
		while (descendants.size() < count && System.nanoTime() < deadline) {
			Thread.sleep(20);
			descendants = wrapper.descendants().toList();
		}
		assertThat(descendants).hasSizeGreaterThanOrEqualTo(count);
		return new ArrayList<>(descendants);
	}

	/**
	 * Asserts that the processes are gone. Those that ended stay {@link ProcessHandle#isAlive() alive} as zombies
	 * until reaped: the wrapper by this JVM, the orphaned stand-in and its sleep by init, in its own time.
	 */
	private static void assertGone(List<ProcessHandle> processes) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (processes.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(processes).noneMatch(ProcessHandle::isAlive);
	}

}
