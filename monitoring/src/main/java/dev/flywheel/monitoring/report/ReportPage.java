package dev.flywheel.monitoring.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.flywheel.bundle.ReferenceProfile;
import dev.flywheel.monitoring.drift.CategoricalCounts;
import dev.flywheel.monitoring.drift.DriftReport;
import dev.flywheel.monitoring.drift.FeatureDrift;
import dev.flywheel.monitoring.drift.NumericCounts;
import dev.flywheel.monitoring.drifting.DriftMonitor.VersionWindow;
import dev.flywheel.monitoring.quality.VersionQuality;
import dev.flywheel.monitoring.retraining.RetrainingJob;

/**
 * A model's report as one self-contained HTML page: inline style, the data of each chart in its element, and a small
 * inline script that draws the charts as SVG (no file, font or script from elsewhere, so the page reads the same
 * saved to disk and opened with no server beside it). Every chart's numbers are also in a table, for readers
 * without script.
 */
final class ReportPage {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd").withZone(ZoneOffset.UTC);

	private ReportPage() {
	}

	static String render(ModelReport report) {
		StringBuilder html = new StringBuilder(16_384);
		html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
			.append(escape(report.model()))
			.append(" · Flywheel report</title><style>").append(STYLE).append("</style></head><body>\n<h1>")
			.append(escape(report.model())).append("</h1><p class=\"muted\">Generated ")
			.append(Instant.ofEpochMilli(report.generatedAt())).append(" by Flywheel monitoring.</p>\n");
		drift(html, report.drift());
		quality(html, report.quality());
		abTests(html, report);
		jobs(html, report.jobs());
		html.append("<script>").append(SCRIPT).append("</script>\n</body></html>\n");
		return html.toString();
	}

	private static void drift(StringBuilder html, List<VersionWindow> versions) {
		html.append("<h2>Drift</h2>\n");
		if (versions.isEmpty()) {
			html.append("<p>No prediction of this model is in the drift window.</p>\n");
		}
		for (VersionWindow version : versions) {
			html.append("<h3>Version ").append(escape(version.version())).append("</h3>\n");
			DriftReport report = version.report();
			if (version.reference() == null || version.window() == null) {
				html.append("<p>Waiting for the version's reference profile from the registry.</p>\n");
				continue;
			}
			if (report != null) {
				html.append("<p class=\"").append(report.alarm() ? "alarm" : "ok").append("\">")
					.append(report.alarm() ? "Drift alarm" : "No drift alarm").append(": ")
					.append(report.driftedFeatures()).append(" of ").append(report.judgedFeatures())
					.append(" judged features drifted.</p>\n");
			}
			html.append("<div class=\"features\">\n");
			version.window().numericFeatures().forEach((name, live) -> numericFeature(html, name,
					version.reference().numeric().get(name), live, report == null ? null : report.feature(name)));
			version.window().categoricalFeatures().forEach((name, live) -> categoricalFeature(html, name,
					version.reference().categorical().get(name).counts(), live,
					report == null ? null : report.feature(name)));
			html.append("</div>\n");
		}
	}

	private static void numericFeature(StringBuilder html, String name, ReferenceProfile.NumericFeature reference,
			NumericCounts live, FeatureDrift drift) {
		List<String> labels = new ArrayList<>();
		List<Double> edges = reference.binEdges();
		for (int bin = 0; bin + 1 < edges.size(); bin++) {
			labels.add(number(edges.get(bin)) + "–" + number(edges.get(bin + 1)));
		}
		feature(html, name, labels, shares(reference.binCounts().stream().mapToLong(Long::longValue).toArray()),
				shares(live.counts()), live.rows(), drift);
	}

	private static void categoricalFeature(StringBuilder html, String name, Map<String, Long> reference,
			CategoricalCounts live, FeatureDrift drift) {
		List<String> labels = new ArrayList<>(live.categories());
		labels.add("(other)");
		long[] referenceCounts = CategoricalCounts.referenceBins(reference);
		feature(html, name, labels, shares(referenceCounts), shares(live.counts()), live.rows(), drift);
	}

	private static void feature(StringBuilder html, String name, List<String> bins, double[] reference, double[] live,
			long rows, FeatureDrift drift) {
		html.append("<section class=\"feature\"><h4>").append(escape(name)).append(" <span class=\"")
			.append(drift == null ? "muted" : drift.isDrifted() ? "alarm" : "ok").append("\">")
			.append(drift == null ? "not judged yet" : drift.verdict().name().toLowerCase(Locale.ROOT).replace('_', ' '))
			.append("</span></h4><p class=\"muted\">").append(rows).append(" live rows");
		if (drift != null && Double.isFinite(drift.psi())) {
			html.append(" · PSI ").append(number(drift.psi()));
		}
		if (drift != null && Double.isFinite(drift.normalizedWasserstein())) {
			html.append(" · W1/σ ").append(number(drift.normalizedWasserstein()));
		}
		if (drift != null && Double.isFinite(drift.jensenShannonDistance())) {
			html.append(" · JS ").append(number(drift.jensenShannonDistance()));
		}
		html.append("</p><div class=\"chart\" data-chart=\"histogram\" data-labels=\"").append(json(bins))
			.append("\" data-reference=\"").append(json(reference)).append("\" data-live=\"").append(json(live))
			.append("\"></div>");
		html.append("<table><tr><th>bin</th><th>reference</th><th>live</th></tr>");
		for (int bin = 0; bin < bins.size() && bin < reference.length && bin < live.length; bin++) {
			html.append("<tr><td>").append(escape(bins.get(bin))).append("</td><td>").append(percent(reference[bin]))
				.append("</td><td>").append(percent(live[bin])).append("</td></tr>");
		}
		html.append("</table></section>\n");
	}

	private static void quality(StringBuilder html, List<ModelReport.Day> days) {
		html.append("<h2>Live quality, last ").append(days.size()).append(" days</h2>\n");
		List<String> versions = days.stream().flatMap(day -> day.versions().stream()).map(VersionQuality::version)
			.distinct().sorted().toList();
		if (versions.isEmpty()) {
			html.append("<p>No prediction of this model in the last ").append(days.size()).append(" days.</p>\n");
			return;
		}
		List<String> labels = days.stream().map(day -> DAY.format(Instant.ofEpochMilli(day.from()))).toList();
		StringBuilder series = new StringBuilder("[");
		StringBuilder table = new StringBuilder("<table><tr><th>day</th>");
		versions.forEach(v -> table.append("<th>version ").append(escape(v)).append(" accuracy (labelled / predicted)</th>"));
		table.append("</tr>");
		for (String version : versions) {
			List<Double> accuracy = new ArrayList<>();
			for (ModelReport.Day day : days) {
				accuracy.add(day.versions().stream().filter(q -> q.version().equals(version)).findFirst()
					.map(q -> q.report().classification().accuracy()).filter(Double::isFinite).orElse(null));
			}
			series.append(series.length() > 1 ? "," : "").append("{\"name\":")
				.append(JSON.writeValueAsString("version " + version)).append(",\"values\":")
				.append(JSON.writeValueAsString(accuracy)).append('}');
		}
		series.append(']');
		for (ModelReport.Day day : days) {
			table.append("<tr><td>").append(DAY.format(Instant.ofEpochMilli(day.from()))).append("</td>");
			for (String version : versions) {
				VersionQuality q = day.versions().stream().filter(v -> v.version().equals(version)).findFirst()
					.orElse(null);
				table.append("<td>").append(q == null ? "" : percent(q.report().classification().accuracy()) + " ("
						+ q.report().coverage().labelled() + " / " + q.report().coverage().predictions() + ")")
					.append("</td>");
			}
			table.append("</tr>");
		}
		table.append("</table>");
		html.append("<div class=\"chart wide\" data-chart=\"lines\" data-labels=\"").append(json(labels))
			.append("\" data-series=\"").append(escape(series.toString())).append("\"></div>\n").append(table)
			.append('\n');
	}

	private static void abTests(StringBuilder html, ModelReport report) {
		html.append("<h2>A/B tests</h2>\n");
		if (report.abTests() == null) {
			html.append("<p class=\"muted\">").append(escape(report.abTestsProblem())).append("</p>\n");
			return;
		}
		if (report.abTests().isEmpty()) {
			html.append("<p>No A/B test of this model.</p>\n");
			return;
		}
		html.append("<table><tr><th>test</th><th>status</th><th>variants</th><th>action</th><th>created</th></tr>");
		for (JsonNode test : report.abTests()) {
			StringBuilder variants = new StringBuilder();
			for (JsonNode variant : test.path("variants")) {
				variants.append(variants.isEmpty() ? "" : ", ").append(variant.path("name").asString()).append(" (")
					.append(variant.has("alias") ? variant.path("alias").asString()
							: "version " + variant.path("version").asString())
					.append(", ").append(number(variant.path("weight").asDouble())).append(')');
			}
			html.append("<tr><td>").append(escape(test.path("id").asString())).append("</td><td>")
				.append(escape(test.path("status").asString())).append("</td><td>").append(escape(variants.toString()))
				.append("</td><td>").append(escape(test.path("action").asString())).append("</td><td>")
				.append(escape(test.path("created_at").asString())).append("</td></tr>");
		}
		html.append("</table>\n");
	}

	private static void jobs(StringBuilder html, List<RetrainingJob> jobs) {
		html.append("<h2>Retraining</h2>\n");
		if (jobs.isEmpty()) {
			html.append("<p>This model was never retrained by monitoring.</p>\n");
			return;
		}
		html.append("<table><tr><th>requested</th><th>reason</th><th>status</th><th>from</th><th>new version</th>"
				+ "<th>labelled rows</th><th>detail</th></tr>");
		for (RetrainingJob job : jobs) {
			html.append("<tr><td>").append(Instant.ofEpochMilli(job.requestedAt())).append("</td><td>")
				.append(job.reason().name().toLowerCase(Locale.ROOT)).append("</td><td class=\"")
				.append(job.status().name().toLowerCase(Locale.ROOT)).append("\">")
				.append(job.status().name().toLowerCase(Locale.ROOT)).append("</td><td>")
				.append(escape(job.baseVersion() == null ? "" : job.baseVersion())).append("</td><td>")
				.append(escape(job.newVersion() == null ? "" : job.newVersion())).append("</td><td>")
				.append(job.snapshotRows() == null ? "" : job.snapshotRows()).append("</td><td>")
				.append(escape(job.detail() == null ? "" : job.detail())).append("</td></tr>");
		}
		html.append("</table>\n");
	}

	private static double[] shares(long[] counts) {
		long total = 0;
		for (long count : counts) {
			total += count;
		}
		double[] shares = new double[counts.length];
		for (int i = 0; i < counts.length; i++) {
			shares[i] = total == 0 ? 0 : (double) counts[i] / total;
		}
		return shares;
	}

	private static String json(Object value) {
		return escape(JSON.writeValueAsString(value));
	}

	private static String number(double value) {
		return String.format(Locale.ROOT, "%.3g", value);
	}

	private static String percent(double share) {
		return Double.isFinite(share) ? String.format(Locale.ROOT, "%.1f %%", 100 * share) : "";
	}

	/** Text made safe for HTML content and attribute values. */
	static String escape(String text) {
		StringBuilder escaped = new StringBuilder(text.length() + 16);
		for (char c : text.toCharArray()) {
			switch (c) {
				case '&' -> escaped.append("&amp;");
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append("&gt;");
				case '"' -> escaped.append("&quot;");
				case '\'' -> escaped.append("&#39;");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

	private static final String STYLE = """
			body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
			h1{margin-bottom:0}h2{border-bottom:1px solid #ddd;margin-top:32px}h4{margin:4px 0}
			.muted{color:#777}.alarm{color:#b00020;font-weight:600}.ok{color:#1b7f3b}
			.features{display:flex;flex-wrap:wrap;gap:16px}.feature{width:360px}
			.chart svg{display:block}table{border-collapse:collapse;margin:8px 0;font-size:12px}
			td,th{border:1px solid #ddd;padding:2px 6px;text-align:left}.feature table{display:none}
			.failed,.timed_out{color:#b00020}.succeeded{color:#1b7f3b}
			.legend{font-size:11px;fill:#555}
			""";

	/** Draws every chart from its data attributes; marks the body once all are drawn. */
	private static final String SCRIPT = """
			(function () {
			  var NS = 'http://www.w3.org/2000/svg';
			  function el(name, attributes, parent) {
			    var node = document.createElementNS(NS, name);
			    for (var key in attributes) { node.setAttribute(key, attributes[key]); }
			    if (parent) { parent.appendChild(node); }
			    return node;
			  }
			  function text(parent, x, y, content, anchor) {
			    var t = el('text', {x: x, y: y, 'class': 'legend', 'text-anchor': anchor || 'start'}, parent);
			    t.textContent = content;
			    return t;
			  }
			  function histogram(div) {
			    var labels = JSON.parse(div.dataset.labels), reference = JSON.parse(div.dataset.reference),
			        live = JSON.parse(div.dataset.live);
			    var width = 360, height = 150, bottom = 20, n = labels.length;
			    var max = Math.max.apply(null, reference.concat(live).concat([0.01]));
			    var svg = el('svg', {width: width, height: height, role: 'img'}, div);
			    var slot = width / n;
			    for (var i = 0; i < n; i++) {
			      [[reference[i] || 0, '#9bb7d4', 0], [live[i] || 0, '#e07a3f', 1]].forEach(function (bar) {
			        var h = (height - bottom - 12) * bar[0] / max;
			        el('rect', {x: i * slot + 2 + bar[2] * (slot - 4) / 2, y: height - bottom - h,
			          width: (slot - 4) / 2, height: h, fill: bar[1]}, svg);
			      });
			    }
			    text(svg, 0, 10, 'reference', 'start').setAttribute('fill', '#9bb7d4');
			    text(svg, 70, 10, 'live', 'start').setAttribute('fill', '#e07a3f');
			    text(svg, 0, height - 4, labels[0], 'start');
			    text(svg, width, height - 4, labels[n - 1], 'end');
			  }
			  function lines(div) {
			    var labels = JSON.parse(div.dataset.labels), series = JSON.parse(div.dataset.series);
			    var width = 720, height = 220, left = 40, bottom = 24, colors = ['#e07a3f', '#3f7ae0', '#1b7f3b', '#8e44ad'];
			    var svg = el('svg', {width: width, height: height, role: 'img'}, div);
			    var x = function (i) { return left + i * (width - left - 10) / Math.max(1, labels.length - 1); };
			    var y = function (v) { return 10 + (height - bottom - 10) * (1 - v); };
			    [0, 0.5, 1].forEach(function (v) {
			      el('line', {x1: left, x2: width - 10, y1: y(v), y2: y(v), stroke: '#eee'}, svg);
			      text(svg, left - 4, y(v) + 4, Math.round(v * 100) + '%', 'end');
			    });
			    labels.forEach(function (label, i) { if (i % 2 === 0) { text(svg, x(i), height - 6, label, 'middle'); } });
			    series.forEach(function (s, k) {
			      var path = '';
			      s.values.forEach(function (v, i) {
			        if (v === null) { return; }
			        path += (path ? ' L' : 'M') + x(i) + ' ' + y(v);
			        el('circle', {cx: x(i), cy: y(v), r: 3, fill: colors[k % colors.length]}, svg);
			      });
			      if (path) { el('path', {d: path, fill: 'none', stroke: colors[k % colors.length], 'stroke-width': 2}, svg); }
			      text(svg, width - 10, 14 + 12 * k, s.name, 'end').setAttribute('fill', colors[k % colors.length]);
			    });
			  }
			  var charts = document.querySelectorAll('[data-chart]');
			  charts.forEach(function (div) { (div.dataset.chart === 'histogram' ? histogram : lines)(div); });
			  document.body.dataset.rendered = String(charts.length);
			})();
			""";

}
