"""Identity resolution: linkage settings as data, training, evaluation, the key registry."""
