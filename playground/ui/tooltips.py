"""Tooltips that teach: what each hyperparameter does and what to try."""

TIPS = {
    "dataset": "What the network learns from. Built-in digits are generated on this machine (no download) and "
               "read real handwriting; MNIST-family sets are 60,000 real 28x28 images; the 2-D sets are small "
               "point clouds where you can watch a decision boundary form. Try: moons with 0 vs 2 hidden layers.",
    "download": "Download the selected MNIST-family set with torchvision into the data folder (about 10-30 MB).",
    "classes": "Number of spiral arms (classes) for the spiral set: more arms need a bigger network.",
    "hidden": "Hidden layers, input side first. Each is a Linear layer followed by the activation and dropout. "
              "No hidden layer at all is softmax regression (a linear classifier). Wider layers fit more; deeper "
              "stacks can fit more complex functions but are harder to train (see the gradients tab).",
    "width": "Number of units in this layer. Parameters grow with width x previous width.",
    "layer_dropout": "Dropout for this layer: during training each unit is zeroed with this probability and the "
                     "rest are scaled by 1/(1-p). It fights overfitting; 0.2-0.5 is typical; 0 disables it.",
    "activation": "The non-linearity after each hidden layer. ReLU is the robust default; sigmoid and tanh "
                  "saturate and make deep networks' gradients vanish; identity turns the whole net linear. "
                  "Try: 8 hidden layers with sigmoid vs relu.",
    "output_activation": "What is applied to the output layer's scores. Keep 'none': the loss applies softmax to "
                         "the raw scores (logits) itself. A ReLU here is a classic mistake: negative scores are "
                         "clipped to 0, wrong classes cannot be pushed down and those output units stop learning. "
                         "Try relu here and compare the curves.",
    "init": "How weights start. Kaiming suits ReLU, Xavier suits tanh/sigmoid; normal-1 (plain randn) is far too "
            "large and explodes; zeros never breaks symmetry, so every unit learns the same thing.",
    "weight_decay": "L2 penalty: each step shrinks weights by lr x decay x w. Larger values give simpler, smoother "
                    "models and less overfitting; too large and the model underfits. Try 0 vs 1e-3.",
    "decay_biases": "Also apply weight decay to the biases. The usual choice (and the d2l tutorial's) is to decay "
                    "weights only: biases barely overfit.",
    "augment": "Randomly shift, rotate, rescale and thicken/thin training images every batch. On by default "
               "for the built-in digits, where it makes the Draw tab read real pen input better; off by default for "
               "MNIST-family sets, where it was measured not to help pen input. Try both and compare the runs.",
    "mix_my_digits": "Add my digits (the drawings you taught in the Draw tab) to the training images, each "
                     "repeated 20 times so a few dozen count among thousands. The model then learns your "
                     "handwriting too; compare the Draw tab with and without it.",
    "mix_pen_digits": "Add real people's pen digits (UNIPEN, shipped with the app: hundreds of writers, drawn the "
                      "way the Draw tab draws) to MNIST's training images, at least as many as MNIST's own. "
                      "MNIST's writers rarely curl a 9 like a g, cross a 7 or give a 1 a flag and a base, so a "
                      "model trained on MNIST alone misreads people who do. The test split stays MNIST's own, "
                      "so the test accuracy is still MNIST's. Untick it, train again, and compare the Draw tab.",
    "optimizer": "How gradients become weight updates. SGD takes plain steps; momentum keeps a running velocity "
                 "that speeds through flat valleys; RMSprop divides each step by the recent gradient size; Adam "
                 "does both (momentum and a step size per weight) and forgives a poorly chosen learning rate. "
                 "Hover over each choice for more.",
    "lr": "Step size of each update (arrows multiply or divide by about 1.8). Too small: slow; too large: the loss "
          "jumps around or diverges to NaN. Typical: 0.1-0.01 for SGD, 1e-3 for Adam. Changing it mid-run applies "
          "from the next step.",
    "momentum": "For the momentum optimizer: the fraction of the previous update kept each step (0.9 is typical). "
                "0 makes it plain SGD.",
    "batch_size": "Samples per gradient step. Small batches give noisy but frequent updates; large batches give "
                  "smooth, fewer, faster-per-sample steps. Doubling it often works with a larger learning rate.",
    "epochs": "Passes over the whole training set. Watch the test curve: when it stops improving while train "
              "keeps improving, the model is overfitting.",
    "loss": "Cross-entropy is the standard for classification. MSE on softmax outputs gives small gradients when "
            "the model is confidently wrong, so it learns more slowly: try both.",
    "device": "Where the math runs. Auto picks a CUDA GPU when there is one. Small MLPs are often as fast on CPU.",
    "seed": "Seed for weight init, shuffling and the 2-D sets: the same seed gives the same run.",
    "size": "Parameters of the network and a rough estimate of the memory training needs (weights, gradients, "
            "optimizer state and activations).",
}
