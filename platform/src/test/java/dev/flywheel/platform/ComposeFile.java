package dev.flywheel.platform;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code deploy/compose.yaml} as the deployment tests read it: services, their build, environment, published ports and
 * bind mounts, with paths resolved against the file's directory as Compose resolves them.
 */
final class ComposeFile {

	/** A bind mount: a file or directory of the repository at {@code target} in the container. */
	record Mount(Path source, String target, boolean readOnly) {
	}

	/** How a service's image is built: its context and Dockerfile, and the module the Dockerfile belongs to. */
	record Build(Path context, Path dockerfile, String module) {
	}

	private final Path directory;

	private final Map<String, Object> services;

	private ComposeFile(Path file) {
		this.directory = file.getParent();
		this.services = YamlTree.map(YamlTree.read(file), "services");
	}

	static ComposeFile read(Path file) {
		return new ComposeFile(file);
	}

	List<String> serviceNames() {
		return List.copyOf(services.keySet());
	}

	boolean has(String service) {
		return services.containsKey(service);
	}

	Map<String, Object> service(String name) {
		return YamlTree.map(services, name);
	}

	Optional<String> image(String service) {
		return Optional.ofNullable(service(service).get("image")).map(String::valueOf);
	}

	/** The services whose image starts with {@code prefix} (such as {@code postgres:}), by name. */
	List<String> servicesOfImage(String prefix) {
		return serviceNames().stream().filter(s -> image(s).filter(i -> i.startsWith(prefix)).isPresent()).toList();
	}

	/** The services built from a Dockerfile of the repository, by name, in file order. */
	Map<String, Build> builds() {
		Map<String, Build> builds = new LinkedHashMap<>();
		for (String name : serviceNames()) {
			Map<String, Object> build = YamlTree.optionalMap(service(name), "build");
			if (!build.isEmpty()) {
				Path context = directory.resolve(YamlTree.text(build, "context")).normalize();
				Path dockerfile = context.resolve(String.valueOf(build.getOrDefault("dockerfile", "Dockerfile")))
					.normalize();
				String module = context.relativize(dockerfile.getParent()).toString();
				builds.put(name, new Build(context, dockerfile, module));
			}
		}
		return builds;
	}

	/** The service's environment, in either of Compose's forms (a mapping, or a list of NAME=value). */
	Map<String, String> environment(String service) {
		Object environment = service(service).get("environment");
		Map<String, String> variables = new LinkedHashMap<>();
		if (environment instanceof Map<?, ?> map) {
			map.forEach((name, value) -> variables.put(String.valueOf(name), String.valueOf(value)));
		}
		else if (environment instanceof List<?> list) {
			for (Object entry : list) {
				String[] parts = String.valueOf(entry).split("=", 2);
				variables.put(parts[0], parts.length > 1 ? parts[1] : "");
			}
		}
		return variables;
	}

	/** The container ports the service publishes ({@code "127.0.0.1:5000:5000"} gives 5000). */
	List<Integer> containerPorts(String service) {
		List<Integer> ports = new ArrayList<>();
		for (Object port : YamlTree.optionalList(service(service), "ports")) {
			String target = port instanceof Map<?, ?> map ? String.valueOf(map.get("target"))
					: String.valueOf(port).replaceAll("/(tcp|udp)$", "");
			ports.add(Integer.parseInt(target.substring(target.lastIndexOf(':') + 1)));
		}
		return ports;
	}

	/** The service's bind mounts (volumes whose source is a path, not a named volume). */
	List<Mount> bindMounts(String service) {
		List<Mount> mounts = new ArrayList<>();
		for (Object volume : YamlTree.optionalList(service(service), "volumes")) {
			String[] parts = String.valueOf(volume).split(":");
			if (parts[0].startsWith(".") || parts[0].startsWith("/")) {
				boolean readOnly = parts.length > 2 && List.of(parts[2].split(",")).contains("ro");
				mounts.add(new Mount(directory.resolve(parts[0]).normalize(), parts[1], readOnly));
			}
		}
		return mounts;
	}

	/** The services this one waits for, and the condition of each ({@code service_started} when not given). */
	Map<String, String> dependencies(String service) {
		Object dependsOn = service(service).get("depends_on");
		Map<String, String> dependencies = new LinkedHashMap<>();
		if (dependsOn instanceof List<?> names) {
			names.forEach(name -> dependencies.put(String.valueOf(name), "service_started"));
		}
		else if (dependsOn instanceof Map<?, ?> map) {
			map.forEach((name, value) -> dependencies.put(String.valueOf(name),
					String.valueOf(YamlTree.asMap(value, String.valueOf(name)).getOrDefault("condition",
							"service_started"))));
		}
		return dependencies;
	}

}
