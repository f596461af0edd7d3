package dev.flywheel.registry.run;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Names for runs that were given none, in MLflow's form: {@code adjective-noun-number}. */
final class RunNames {

	private static final List<String> ADJECTIVES = List.of("able", "bold", "brave", "bright", "calm", "clever",
			"crisp", "eager", "fair", "gentle", "glad", "keen", "lively", "merry", "nimble", "polite", "proud",
			"quick", "quiet", "rare", "sharp", "steady", "sunny", "swift", "tidy", "vivid", "warm", "wise");

	private static final List<String> NOUNS = List.of("ant", "bass", "bear", "crane", "deer", "dove", "eel", "finch",
			"fox", "frog", "gull", "hare", "hawk", "ibis", "koi", "lark", "lynx", "mole", "moth", "newt", "owl",
			"panda", "quail", "seal", "shrew", "swan", "toad", "wolf", "wren", "yak");

	private RunNames() {
	}

	static String random() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "-" + NOUNS.get(random.nextInt(NOUNS.size())) + "-"
				+ random.nextInt(1000);
	}

}
