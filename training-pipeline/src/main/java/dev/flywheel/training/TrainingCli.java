package dev.flywheel.training;

import java.io.PrintStream;

import org.mlflow.tracking.MlflowClientException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import dev.flywheel.bundle.BundleException;

/**
 * {@code java -jar training-pipeline.jar train --spec FILE [--registry URL]}. Exit codes: 0 success, 1 the gate
 * rejected the candidate, 2 bad input (spec or dataset), 3 the registry could not be reached or refused a call.
 */
@Command(name = "training-pipeline", mixinStandardHelpOptions = true, version = TrainingJob.VERSION,
		description = "Flywheel's reproducible DL4J training job.")
public final class TrainingCli {

	public static final int GATE_REJECTED = 1;

	public static final int BAD_INPUT = 2;

	public static final int REGISTRY_FAILED = 3;

	public static void main(String[] args) {
		System.exit(run(System.out, System.err, args));
	}

	/** Runs a command line and returns its exit code. */
	public static int run(PrintStream out, PrintStream err, String... args) {
		CommandLine commandLine = new CommandLine(new TrainingCli());
		commandLine.addSubcommand(new TrainCommand(out));
		commandLine.addSubcommand(new ReproduceCommand(out));
		commandLine.addSubcommand(new EvaluateCommand(out));
		commandLine.setOut(new java.io.PrintWriter(out, true));
		commandLine.setErr(new java.io.PrintWriter(err, true));
		commandLine.setExecutionExceptionHandler((ex, line, parsed) -> {
			if (ex instanceof InvalidInputException) {
				err.println("error: " + ex.getMessage());
				return BAD_INPUT;
			}
			if (ex instanceof BundleException || ex instanceof MlflowClientException) {
				err.println("error: publishing failed: " + ex.getMessage());
				return REGISTRY_FAILED;
			}
			throw ex;
		});
		commandLine.setParameterExceptionHandler((ex, arguments) -> {
			err.println("error: " + ex.getMessage());
			ex.getCommandLine().usage(err);
			return BAD_INPUT;
		});
		return commandLine.execute(args);
	}

}
