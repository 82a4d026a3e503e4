"""One-click set-ups of the experiments in the tutorials this playground teaches."""
from __future__ import annotations

from dataclasses import dataclass

from .config import TrainConfig


@dataclass(frozen=True)
class Preset:
    name: str
    source: str
    config: TrainConfig


_MNIST = TrainConfig(dataset="mnist", augment=False, dropout=(0.0,), init="default", weight_decay=0.0)

PRESETS: list[Preset] = [
    Preset("MNIST 784-200-200-10 ReLU, SGD 0.01",
           "The classic PyTorch MNIST MLP tutorial: two hidden layers of 200 ReLU units, plain SGD with "
           "learning rate 0.01, batch 200, 10 epochs. Watch how slowly plain SGD at 0.01 converges.",
           _MNIST.replace(hidden=(200, 200), activation="relu", optimizer="sgd", lr=0.01, batch_size=200, epochs=10)),
    Preset("MNIST 784-200-200-10 with ReLU wrongly on the output layer",
           "The same tutorial's classic mistake: a ReLU after the last layer. Cross-entropy wants raw scores "
           "(logits); ReLU clips every negative score to 0, so the network cannot push wrong classes down and "
           "output units that go negative stop learning. Compare its curves with the correct preset above.",
           _MNIST.replace(hidden=(200, 200), activation="relu", output_activation="relu", optimizer="sgd",
                          lr=0.01, batch_size=200, epochs=10)),
    Preset("MNIST 784-200-200-10 LeakyReLU on the GPU",
           "The same tutorial's variant with LeakyReLU, trained on CUDA when there is a GPU (Auto picks it).",
           _MNIST.replace(hidden=(200, 200), activation="leaky-relu", optimizer="sgd", lr=0.01, batch_size=200,
                          epochs=10, device="auto")),
    Preset("Fashion-MNIST 784-256-10 ReLU, SGD 0.1",
           "Dive into Deep Learning, 'Multilayer Perceptrons': one hidden layer of 256 ReLU units on "
           "Fashion-MNIST, SGD with learning rate 0.1, batch 256, 10 epochs.",
           _MNIST.replace(dataset="fashion-mnist", hidden=(256,), optimizer="sgd", lr=0.1, batch_size=256,
                          epochs=10)),
    Preset("Fashion-MNIST 784-256-256-10, dropout 0.2/0.5",
           "Dive into Deep Learning, 'Dropout': two hidden layers of 256 with dropout 0.2 then 0.5, weights "
           "from N(0, 0.01), SGD 0.5, batch 256, 10 epochs. Compare with dropout 0 to see overfitting.",
           _MNIST.replace(dataset="fashion-mnist", hidden=(256, 256), dropout=(0.2, 0.5), init="normal-0.01",
                          optimizer="sgd", lr=0.5, batch_size=256, epochs=10)),
    Preset("MNIST 784-512-256-128-64-10, SGD 0.01 momentum 0.5",
           "A deeper tutorial MLP: four ReLU hidden layers, SGD 0.01 with momentum 0.5, batch 64. The tutorial "
           "reports about 97 % test accuracy after 10 epochs.",
           _MNIST.replace(hidden=(512, 256, 128, 64), optimizer="momentum", lr=0.01, momentum=0.5, batch_size=64,
                          epochs=10)),
    Preset("MNIST 784-500-10, Adam 1e-3",
           "A one-hidden-layer MLP of 500 units with Adam at 1e-3, batch 100, 5 epochs: Adam gets there fast.",
           _MNIST.replace(hidden=(500,), optimizer="adam", lr=1e-3, batch_size=100, epochs=5)),
    Preset("Deep sigmoid: vanishing gradients",
           "Eight sigmoid layers of 32 units with Xavier init on the built-in digits, SGD 0.1: the first "
           "layers' gradients are thousands of times smaller than the last ones' (see the Gradients tab), so "
           "training crawls. Switch the activation to relu and the init to kaiming-normal to fix it.",
           TrainConfig(dataset="synthetic-digits", hidden=(32,) * 8, activation="sigmoid", init="xavier-normal",
                       dropout=(0.0,), optimizer="sgd", lr=0.1, batch_size=128, epochs=5, augment=False)),
    Preset("Moons: watch a decision boundary form",
           "TensorFlow Playground's classic: two interleaved half-moons, two hidden layers of 8 tanh units, "
           "Adam 0.01. Open the Decision boundary tab while it trains.",
           TrainConfig(dataset="moons", hidden=(8, 8), activation="tanh", init="xavier-normal", dropout=(0.0,),
                       optimizer="adam", lr=0.01, batch_size=32, epochs=30, augment=False)),
]
