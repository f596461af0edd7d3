package dev.flywheel.registry.artifact;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.springframework.web.util.UriUtils;

import dev.flywheel.registry.mlflow.MlflowException;

/**
 * A path inside the artifact store, such as {@code 1/0a1b/artifacts/model/MLmodel}: relative, made of plain segments,
 * never able to leave the store. As MLflow's {@code validate_path_is_safe}, it is percent-decoded until it no longer
 * changes (so {@code %2e%2e} and {@code %252e%252e} are caught), and refused with "Invalid path" when any segment is
 * {@code ..}, when it is absolute, or when it holds a backslash, a NUL, a {@code #} or a drive letter.
 */
public final class ArtifactPath {

	public static final ArtifactPath ROOT = new ArtifactPath(List.of());

	private final List<String> segments;

	private ArtifactPath(List<String> segments) {
		this.segments = List.copyOf(segments);
	}

	/** Parses a path as received (still percent-encoded or not); empty means the root. */
	public static ArtifactPath parse(String raw) {
		String path = raw == null ? "" : raw;
		for (int i = 0; i < 10; i++) {
			String decoded;
			try {
				decoded = UriUtils.decode(path, StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				throw invalid();
			}
			if (decoded.equals(path)) {
				break;
			}
			path = decoded;
		}
		if (path.startsWith("/") || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0 || path.indexOf('#') >= 0
				|| path.matches("^[A-Za-z]:.*") || path.indexOf('%') >= 0) {
			throw invalid();
		}
		List<String> segments = new ArrayList<>();
		for (String segment : path.split("/")) {
			if (segment.equals("..")) {
				throw invalid();
			}
			if (!segment.isEmpty() && !segment.equals(".")) {
				segments.add(segment);
			}
		}
		return new ArtifactPath(segments);
	}

	/** The path inside the store of an {@code mlflow-artifacts:/x/y} or {@code mlflow-artifacts://host/x/y} URI. */
	public static ArtifactPath fromUri(String uri) {
		String scheme = "mlflow-artifacts:";
		if (uri == null || !uri.startsWith(scheme)) {
			throw MlflowException.invalid("Not an mlflow-artifacts URI: '" + uri + "'");
		}
		String rest = uri.substring(scheme.length());
		if (rest.startsWith("//")) {
			int slash = rest.indexOf('/', 2);
			rest = slash < 0 ? "" : rest.substring(slash);
		}
		return parse(rest.startsWith("/") ? rest.substring(1) : rest);
	}

	public static boolean isStoreUri(String uri) {
		return uri != null && uri.startsWith("mlflow-artifacts:");
	}

	public ArtifactPath resolve(String child) {
		ArtifactPath relative = parse(child);
		List<String> joined = new ArrayList<>(segments);
		joined.addAll(relative.segments);
		return new ArtifactPath(joined);
	}

	public List<String> segments() {
		return segments;
	}

	public boolean isRoot() {
		return segments.isEmpty();
	}

	public String fileName() {
		return segments.isEmpty() ? "" : segments.get(segments.size() - 1);
	}

	/** This path relative to {@code ancestor}, which it must start with. */
	public String relativeTo(ArtifactPath ancestor) {
		return String.join("/", segments.subList(ancestor.segments.size(), segments.size()));
	}

	@Override
	public String toString() {
		return String.join("/", segments);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof ArtifactPath path && path.segments.equals(segments);
	}

	@Override
	public int hashCode() {
		return segments.hashCode();
	}

	private static MlflowException invalid() {
		return MlflowException.invalid("Invalid path");
	}

}
