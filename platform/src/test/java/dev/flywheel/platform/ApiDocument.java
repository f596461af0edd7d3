package dev.flywheel.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The examples of {@code docs/api.md}, run as a user pastes them: every {@code ```bash} block in order, in one bash
 * process ({@code set -euo pipefail}, so a variable set in one block is there in the next, and the first command that
 * fails ends the run), with the four default addresses ({@code 127.0.0.1:5000}, {@code :8081}, {@code :8080},
 * {@code :8082}) rewritten to the ports of the platform under test. The rules, also stated at the top of api.md:
 * <ul>
 * <li>every {@code curl} of a block starts with an option cluster holding {@code f} ({@code curl -sf ...},
 * {@code curl -fsS ...}), so an HTTP error fails the run;</li>
 * <li>a block whose first line is {@code # expect: 400} (or {@code # expect: 200 or 503}) holds one {@code curl}
 * without {@code -f}: the runner adds {@code -w} to it, prints the answer and fails unless the status is one of
 * those;</li>
 * <li>other fenced blocks ({@code ```sh}, {@code ```json}) are not run.</li>
 * </ul>
 * {@code main} runs the document against a running platform:
 * {@code java platform/src/test/java/dev/flywheel/platform/ApiDocument.java docs/api.md 5000=15000 8081=15081 ...}.
 */
final class ApiDocument {

	/** The four addresses the document uses, by the service whose port they name. */
	static final Map<Integer, String> DEFAULT_PORTS = Map.of(5000, "registry", 8081, "inference", 8080, "router", 8082,
			"monitoring");

	private static final Pattern BLOCK = Pattern.compile("^```bash[ \\t]*\\n(.*?)^```[ \\t]*$",
			Pattern.MULTILINE | Pattern.DOTALL);

	private static final Pattern EXPECT = Pattern.compile("\\A# expect: (\\d{3}(?: or \\d{3})*)\\b[^\\n]*\\n");

	private static final Pattern ADDRESS = Pattern.compile("127\\.0\\.0\\.1:(5000|8081|8080|8082)\\b");

	/** A {@code curl} command and its first argument. */
	private static final Pattern CURL = Pattern.compile("(?<![\\w./-])curl[ \\t]+(\\S+)");

	private static final String END = "=== every block of docs/api.md ran: ";

	/** One {@code ```bash} block: the line of its first command, its code, the statuses it expects (none: 2xx). */
	record Block(int line, String code, List<Integer> expected) {
	}

	/** What running the document gave: the exit code, the output (standard output and error), the blocks. */
	record Result(int exitCode, String output, int blocks) {

		boolean everyBlockRan() {
			return exitCode == 0 && output.contains(END + blocks);
		}

	}

	private ApiDocument() {
	}

	public static void main(String[] args) {
		Map<Integer, Integer> ports = new LinkedHashMap<>();
		for (int i = 1; i < args.length; i++) {
			String[] pair = args[i].split("=");
			ports.put(Integer.parseInt(pair[0]), Integer.parseInt(pair[1]));
		}
		Result result = run(Path.of(args[0]), ports, Path.of(System.getProperty("java.io.tmpdir")),
				Duration.ofMinutes(15));
		System.out.println(result.output());
		System.exit(result.everyBlockRan() ? 0 : 1);
	}

	/** The document's {@code ```bash} blocks, in order, each checked against the rules above. */
	static List<Block> blocks(String markdown) {
		List<Block> blocks = new ArrayList<>();
		Matcher block = BLOCK.matcher(markdown);
		while (block.find()) {
			int line = lineOf(markdown, block.start(1));
			String code = block.group(1);
			List<Integer> expected = new ArrayList<>();
			Matcher expect = EXPECT.matcher(code);
			if (expect.find()) {
				for (String status : expect.group(1).split(" or ")) {
					expected.add(Integer.parseInt(status));
				}
			}
			List<String> curls = new ArrayList<>();
			Matcher curl = CURL.matcher(code);
			while (curl.find()) {
				curls.add(curl.group(1));
			}
			if (expected.isEmpty()) {
				for (String first : curls) {
					if (!first.matches("-[A-Za-z]*f[A-Za-z]*")) {
						throw new IllegalStateException("docs/api.md line " + line + ": a curl starting '" + first
								+ "' has no -f: an HTTP error would pass unnoticed (write curl -sf ..., or declare the "
								+ "block's expected status with '# expect: NNN')");
					}
				}
			}
			else if (curls.size() != 1 || curls.get(0).matches("-[A-Za-z]*f[A-Za-z]*")) {
				throw new IllegalStateException("docs/api.md line " + line + ": a '# expect:' block holds exactly one "
						+ "curl, without -f (it has " + curls + ")");
			}
			blocks.add(new Block(line, code, List.copyOf(expected)));
		}
		return blocks;
	}

	/**
	 * The script that runs the blocks in order, with the default addresses rewritten to {@code ports} (default port
	 * to port); it ends by printing that every block ran.
	 */
	static String script(List<Block> blocks, Map<Integer, Integer> ports) {
		StringBuilder script = new StringBuilder("""
				set -euo pipefail
				__line=0
				trap 'echo "docs/api.md: the block at line $__line failed (exit $?) at: $BASH_COMMAND" >&2' ERR
				""");
		for (Block block : blocks) {
			String code = rewrite(block.code(), ports);
			script.append("__line=").append(block.line()).append('\n');
			script.append("echo '### docs/api.md line ").append(block.line()).append("'\n");
			if (block.expected().isEmpty()) {
				script.append(code).append('\n');
				continue;
			}
			String expected = block.expected().stream().map(String::valueOf).reduce((a, b) -> a + " " + b).orElseThrow();
			script.append("__answer=$(curl() { command curl -w '\\n%{http_code}' \"$@\"; }\n")
				.append(code)
				.append(")\n")
				.append("__status=${__answer##*$'\\n'}\n")
				.append("printf '%s\\n' \"${__answer%$'\\n'*}\"\n")
				.append("case ' ").append(expected)
				.append(" ' in *\" $__status \"*) echo \"(HTTP $__status, as expected)\" ;; *) echo \"docs/api.md line ")
				.append(block.line())
				.append(": expected HTTP ")
				.append(expected)
				.append(", got $__status\" >&2; exit 1 ;; esac\n");
		}
		script.append("echo '").append(END).append(blocks.size()).append("'\n");
		return script.toString();
	}

	/** Runs {@code document}'s blocks in {@code directory} against the platform on {@code ports}. */
	static Result run(Path document, Map<Integer, Integer> ports, Path directory, Duration limit) {
		try {
			List<Block> blocks = blocks(Files.readString(document));
			Files.createDirectories(directory);
			Path script = Files.writeString(directory.resolve("api-examples.sh"), script(blocks, ports));
			Path output = directory.resolve("api-examples.out");
			Process process = new ProcessBuilder("/bin/bash", script.toString()).directory(directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly().waitFor();
				return new Result(-1, Files.readString(output, StandardCharsets.UTF_8)
						+ "\n(stopped: the examples did not end within " + limit + ")", blocks.size());
			}
			return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8), blocks.size());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted", ex);
		}
	}

	private static String rewrite(String code, Map<Integer, Integer> ports) {
		Matcher address = ADDRESS.matcher(code);
		StringBuilder rewritten = new StringBuilder();
		while (address.find()) {
			int port = Integer.parseInt(address.group(1));
			address.appendReplacement(rewritten, "127.0.0.1:" + ports.getOrDefault(port, port));
		}
		return address.appendTail(rewritten).toString();
	}

	private static int lineOf(String text, int index) {
		int line = 1;
		for (int i = 0; i < index; i++) {
			if (text.charAt(i) == '\n') {
				line++;
			}
		}
		return line;
	}

}
