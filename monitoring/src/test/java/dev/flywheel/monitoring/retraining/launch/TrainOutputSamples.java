package dev.flywheel.monitoring.retraining.launch;

/** What {@code training-pipeline train} prints, in the format of its {@code TrainCommand} (output not a terminal). */
final class TrainOutputSamples {

	static final String DIGEST = "3f9a0c5e1b7d2468ace013579bdf2468ace013579bdf2468ace013579bdf2468";

	/** A second version that passed the gate and became the challenger: exit 0. */
	static final String PUBLISHED = """
			Run 5f0c2d7e9a4b4c1d8e3f6a7b8c9d0e1f in experiment 'iris-species' at http://127.0.0.1:5000
			epoch 1/200  loss 1.0712  validation loss 1.0523  validation accuracy 0.6250  12s left
			epoch 20/200  loss 0.4127  validation loss 0.4301  validation accuracy 0.9167  10s left
			epoch 200/200  loss 0.0633  validation loss 0.0904  validation accuracy 0.9583  0s left
			Model iris-species version 3 -> alias challenger
			Held-out metrics (30 rows): {accuracy=0.9666666666666667, log_loss=0.0871, macro_f1=0.9665831244778613}
			Champion version 1 on the same rows: {accuracy=0.9666666666666667, log_loss=0.0902, macro_f1=0.9665831244778613}
			Gate: passed
			Bundle digest: %s
			""".formatted(DIGEST);

	/** A candidate the gate rejected, registered without an alias: exit 1. */
	static final String REJECTED = """
			Run 0a1b2c3d4e5f60718293a4b5c6d7e8f9 in experiment 'iris-species' at http://127.0.0.1:5000
			epoch 1/200  loss 1.0991  validation loss 1.0987  validation accuracy 0.3333  12s left
			epoch 200/200  loss 0.6931  validation loss 0.7012  validation accuracy 0.7083  0s left
			Model iris-species version 4 (no alias)
			Held-out metrics (30 rows): {accuracy=0.7, log_loss=0.6843, macro_f1=0.6952}
			Champion version 3 on the same rows: {accuracy=0.9666666666666667, log_loss=0.0871, macro_f1=0.9665831244778613}
			Gate: failed - [accuracy 0.7000 is below the minimum 0.9300, \
			accuracy 0.7000 is worse than the champion's 0.9667 by 0.2667, more than the allowed 0.0100]
			Bundle digest: %s
			""".formatted(DIGEST);

	private TrainOutputSamples() {
	}

}
