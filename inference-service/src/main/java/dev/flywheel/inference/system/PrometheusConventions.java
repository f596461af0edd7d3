package dev.flywheel.inference.system;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Brings the meters the framework registers in line with Prometheus' naming rules, as {@code promtool check metrics}
 * checks them (the service's own meters, {@link InferenceMetrics}, follow them already): every meter has help text,
 * times are counted in seconds ({@code jvm_compilation_time_seconds_total} and {@code process_cpu_time_seconds_total}
 * instead of {@code _ms_total} and {@code _ns_total}), and the gauge of processors is {@code system_cpus} (a gauge
 * must not end in {@code _count}).
 */
@Configuration(proxyBeanMethods = false)
class PrometheusConventions {

	/** Help text for the framework's meters that come without any. */
	private static final Map<String, String> DESCRIPTIONS = Map.of("http.server.requests",
			"Time to answer HTTP requests, by method, route, status and outcome", "http.server.requests.active",
			"HTTP requests being answered");

	/** The framework's time counters in other units than seconds, replaced by {@link #timesInSeconds}. */
	private static final Map<String, String> NOT_SECONDS = Map.of("jvm.compilation.time", "ms", "process.cpu.time",
			"ns");

	@Bean
	MeterFilter prometheusNames() {
		return new MeterFilter() {

			@Override
			public MeterFilterReply accept(Meter.Id id) {
				String unit = NOT_SECONDS.get(id.getName());
				return unit != null && unit.equals(id.getBaseUnit()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
			}

			@Override
			public Meter.Id map(Meter.Id id) {
				if (id.getName().equals("system.cpu.count")) {
					return id.withName("system.cpus");
				}
				String description = DESCRIPTIONS.get(id.getName());
				if (description != null && (id.getDescription() == null || id.getDescription().isBlank())) {
					return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description,
							id.getType());
				}
				return id;
			}

		};
	}

	@Bean
	MeterBinder timesInSeconds() {
		return registry -> {
			CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
			if (compilation != null && compilation.isCompilationTimeMonitoringSupported()) {
				FunctionCounter.builder("jvm.compilation.time", compilation,
						bean -> bean.getTotalCompilationTime() / 1e3)
					.description("The approximate accumulated elapsed time spent in compilation")
					.tag("compiler", compilation.getName())
					.baseUnit("seconds")
					.register(registry);
			}
			if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
				FunctionCounter.builder("process.cpu.time", os, bean -> bean.getProcessCpuTime() / 1e9)
					.description("The CPU time used by the Java virtual machine process")
					.baseUnit("seconds")
					.register(registry);
			}
		};
	}

}
