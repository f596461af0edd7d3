package dev.flywheel.monitoring.retraining.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Runs the training job as a local process: {@code COMMAND train --spec SPEC --registry URL}, where the command is
 * {@code $JAVA_HOME/bin/java -jar training-pipeline.jar} ({@link #forJar}) or any other (a stand-in in tests).
 * <p>
 * The job runs under a {@code /bin/sh} wrapper in its work directory that writes the job's exit code to
 * {@value #EXIT_CODE} when it ends, so that the outcome survives a monitoring restart. Standard output and error go
 * to {@value #LOG}, standard input is {@code /dev/null}: nothing ties the job to this process, which can end and
 * {@link #reattach} later. The launch also writes the wrapper's start time ({@value #STARTED_AT}) and the time limit
 * ({@value #TIME_LIMIT}). The handle is the wrapper's pid. {@code OMP_NUM_THREADS=1} is set unless the request's
 * environment says otherwise.
 * <p>
 * Following a job polls the exit-code file every {@link #POLL_INTERVAL}. A job past its time limit is stopped with
 * its whole process tree (SIGTERM, which lets the pipeline mark its MLflow run killed, then SIGKILL after a grace
 * period), and a {@value #TIMED_OUT} marker records why, for a later reattach. The limit is only enforced while
 * someone follows the job. A job whose process is gone without an exit code (killed with the machine, or with its
 * container or service when they end their whole process group) ends {@link OutcomeStatus#FAILED FAILED}.
 */
public final class LocalProcessLauncher implements TrainingLauncher {

	/** The job's standard output and error, in its work directory. */
	public static final String LOG = "job.log";

	/** The job's exit code, written by the wrapper when the job ends. */
	public static final String EXIT_CODE = "exit-code";

	/** When the job's wrapper process started (an ISO-8601 instant). */
	public static final String STARTED_AT = "started-at";

	/** The job's time limit (an ISO-8601 duration). */
	public static final String TIME_LIMIT = "time-limit";

	/** Written (with the time) just before a job past its time limit is stopped, so a reattach knows why it ended. */
	public static final String TIMED_OUT = "timed-out";

	/** How often a followed job's exit-code file is looked for. */
	public static final Duration POLL_INTERVAL = Duration.ofMillis(200);

	/** How long a job past its time limit has between SIGTERM and SIGKILL, unless the constructor says otherwise. */
	public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

	/** The pid of a reattached process must have started within this of the recorded start, or it was reused. */
	private static final Duration START_TOLERANCE = Duration.ofSeconds(2);

	/** Runs the job ({@code "$@"}), then writes its exit code atomically (a rename) so that no reader sees half. */
	private static final String WRAPPER = "\"$@\" </dev/null\n"
			+ "echo $? > " + EXIT_CODE + ".tmp && mv " + EXIT_CODE + ".tmp " + EXIT_CODE + "\n";

	private final List<String> command;

	private final Duration stopGrace;

	/**
	 * A launcher that runs {@code command} followed by {@code train --spec SPEC --registry URL}.
	 * @param command the program and its first arguments, such as {@code [java, -jar, training-pipeline.jar]}
	 * @param stopGrace how long a job past its time limit has to end after SIGTERM before it is killed
	 */
	public LocalProcessLauncher(List<String> command, Duration stopGrace) {
		if (command == null || command.isEmpty()) {
			throw new IllegalArgumentException("command must name a program");
		}
		if (stopGrace == null || stopGrace.isNegative()) {
			throw new IllegalArgumentException("stopGrace must not be negative: " + stopGrace);
		}
		this.command = List.copyOf(command);
		this.stopGrace = stopGrace;
	}

	/** A launcher that runs {@code command}, with the {@link #DEFAULT_STOP_GRACE default stop grace}. */
	public LocalProcessLauncher(List<String> command) {
		this(command, DEFAULT_STOP_GRACE);
	}

	/** A launcher that runs the packaged training pipeline on this JVM's java: {@code java -jar JAR}. */
	public static LocalProcessLauncher forJar(Path jar) {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		return new LocalProcessLauncher(List.of(java.toString(), "-jar", jar.toAbsolutePath().toString()));
	}

	@Override
	public LaunchedJob launch(JobRequest request) {
		Path work = request.workDirectory().toAbsolutePath();
		try {
			Files.createDirectories(work);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create the work directory " + work, ex);
		}
		if (Files.exists(work.resolve(STARTED_AT))) {
			throw new IllegalStateException("The work directory " + work + " already holds a job");
		}
		List<String> wrapper = new ArrayList<>(List.of("/bin/sh", "-c", WRAPPER, "training-job"));
		wrapper.addAll(this.command);
		wrapper.addAll(List.of("train", "--spec", request.spec().toAbsolutePath().toString(), "--registry",
				request.registry().toString()));
		ProcessBuilder builder = new ProcessBuilder(wrapper).directory(work.toFile())
			.redirectErrorStream(true)
			.redirectOutput(work.resolve(LOG).toFile());
		builder.environment().put("OMP_NUM_THREADS", "1");
		builder.environment().putAll(request.environment());
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start training job " + request.jobId(), ex);
		}
		ProcessHandle handle = process.toHandle();
		Instant startedAt = handle.info().startInstant().orElseGet(Instant::now);
		try {
			Files.writeString(work.resolve(TIME_LIMIT), request.timeLimit().toString());
			Files.writeString(work.resolve(STARTED_AT), startedAt.toString());
		}
		catch (IOException ex) {
			ProcessTree.stop(handle, Duration.ZERO);
			throw new UncheckedIOException("Could not record training job " + request.jobId() + " in " + work, ex);
		}
		return new FollowedProcess(Long.toString(handle.pid()), Optional.of(handle), work, startedAt,
				request.timeLimit());
	}

	@Override
	public LaunchedJob reattach(String handle, Path workDirectory) {
		long pid;
		try {
			pid = Long.parseLong(handle);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("A local training job's handle is a pid, not '" + handle + "'");
		}
		Path work = workDirectory.toAbsolutePath();
		Instant startedAt;
		Duration timeLimit;
		try {
			startedAt = Instant.parse(Files.readString(work.resolve(STARTED_AT)).strip());
			timeLimit = Duration.parse(Files.readString(work.resolve(TIME_LIMIT)).strip());
		}
		catch (NoSuchFileException ex) {
			throw new IllegalArgumentException("No training job was started in " + work, ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read training job " + handle + " in " + work, ex);
		}
		Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(p -> startedNear(p, startedAt));
		return new FollowedProcess(handle, process, work, startedAt, timeLimit);
	}

	/** Whether a live process is the one started then, and not a later one that reuses its pid. */
	private static boolean startedNear(ProcessHandle process, Instant startedAt) {
		return process.info()
			.startInstant()
			.map(start -> Duration.between(start, startedAt).abs().compareTo(START_TOLERANCE) <= 0)
			.orElse(true);
	}

	/** The last {@code count} lines of a log, fewer when it has fewer, none when it does not exist. */
	static List<String> tail(Path log, int count) {
		Deque<String> lines = new ArrayDeque<>(count);
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(Files.newInputStream(log), StandardCharsets.UTF_8))) {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				if (lines.size() == count) {
					lines.removeFirst();
				}
				lines.addLast(line);
			}
		}
		catch (NoSuchFileException ex) {
			return List.of();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the training job's log " + log, ex);
		}
		return List.copyOf(lines);
	}

	/** A local job followed through its work directory and, while it runs, its wrapper process. */
	private final class FollowedProcess implements LaunchedJob {

		private final String handle;

		/** The wrapper; empty when no process with its pid (and start time) was alive at reattach. */
		private final Optional<ProcessHandle> process;

		private final Path work;

		private final Instant deadline;

		private final Duration timeLimit;

		private JobOutcome outcome;

		FollowedProcess(String handle, Optional<ProcessHandle> process, Path work, Instant startedAt,
				Duration timeLimit) {
			this.handle = handle;
			this.process = process;
			this.work = work;
			this.deadline = startedAt.plus(timeLimit);
			this.timeLimit = timeLimit;
		}

		@Override
		public String handle() {
			return this.handle;
		}

		@Override
		public synchronized JobOutcome await() throws InterruptedException {
			while (this.outcome == null) {
				this.outcome = check();
				if (this.outcome == null) {
					long untilDeadline = Duration.between(Instant.now(), this.deadline).toMillis();
					Thread.sleep(Math.max(1, Math.min(POLL_INTERVAL.toMillis(), untilDeadline)));
				}
			}
			return this.outcome;
		}

		/** The outcome if the job ended (or was just stopped for its time limit), else {@code null}. */
		private JobOutcome check() {
			if (Files.exists(this.work.resolve(TIMED_OUT))) {
				this.process.filter(ProcessTree::isRunning).ifPresent(p -> ProcessTree.stop(p, stopGrace));
				return JobOutcome.timedOut(this.timeLimit, tail());
			}
			JobOutcome exited = exited();
			if (exited != null) {
				return exited;
			}
			if (this.process.isEmpty() || !ProcessTree.isRunning(this.process.get())) {
				exited = exited();
				return (exited != null) ? exited : JobOutcome.vanished("pid " + this.handle, tail());
			}
			if (!Instant.now().isBefore(this.deadline)) {
				try {
					Files.writeString(this.work.resolve(TIMED_OUT), Instant.now() + " stopped after " + this.timeLimit);
				}
				catch (IOException ex) {
					throw new UncheckedIOException("Could not record the time-out of training job " + this.handle, ex);
				}
				ProcessTree.stop(this.process.get(), stopGrace);
				return JobOutcome.timedOut(this.timeLimit, tail());
			}
			return null;
		}

		/** The outcome from the exit-code file, or {@code null} when the wrapper has not written it. */
		private JobOutcome exited() {
			String code;
			try {
				code = Files.readString(this.work.resolve(EXIT_CODE)).strip();
			}
			catch (NoSuchFileException ex) {
				return null;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not read the exit code of training job " + this.handle, ex);
			}
			try {
				return JobOutcome.exited(Integer.parseInt(code), TrainingOutput.read(this.work.resolve(LOG)), tail());
			}
			catch (NumberFormatException ex) {
				return new JobOutcome(OutcomeStatus.FAILED, null, null, tail(),
						"the job's " + EXIT_CODE + " file holds no exit code: '" + code + "'");
			}
		}

		private List<String> tail() {
			return LocalProcessLauncher.tail(this.work.resolve(LOG), JobOutcome.LOG_TAIL_LINES);
		}

	}

}
