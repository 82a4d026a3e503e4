"""Training: the trainer and its loop, optimizers, run control, evaluation, threads, records, fine-tuning and the LR finder."""
