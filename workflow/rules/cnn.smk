# rules: cnn
