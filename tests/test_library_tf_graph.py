"""TensorFlow 1 graph code (frontend/library/tf_graph.py): placeholders,
variables, sessions and the values fed to them, checked against real
TensorFlow 2.21 running the same programs through ``tf.compat.v1`` in graph
mode (tests/tf_graph_runner.py).

Each program is read by shapelint twice: as written (``import
tensorflow.compat.v1 as tf``, what TensorFlow 2 users write) and with
TensorFlow 1's ``import tensorflow as tf`` (what older code and most
questions about it say); both must give the same answer.  Every tensor a
module-level name holds whose shape shapelint claims exactly must have
TensorFlow's static shape; ``CLAIMED`` lists names each program must claim.
A program TensorFlow refuses to feed must get feed-shape-mismatch on the
line TensorFlow raises, and no other finding; a program that runs, none."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from fixture_markers import ROOT
from shapelint.frontend.evaluator import Evaluator
from shapelint.frontend.parsing import parse
from shapelint.frontend.values import Tensor
from shapelint.engine import analyze_source

HEAD = "import numpy as np\nimport tensorflow.compat.v1 as tf\n"

PROGRAMS = {
    # the beginners' tutorial, fed images that were never flattened
    "softmax_unflattened": """
        x = tf.placeholder(tf.float32, [None, 784])
        W = tf.Variable(tf.zeros([784, 10]))
        b = tf.Variable(tf.zeros([10]))
        y = tf.nn.softmax(tf.matmul(x, W) + b)
        y_ = tf.placeholder(tf.float32, [None, 10])
        cross_entropy = tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(y), reduction_indices=[1]))
        train_step = tf.train.GradientDescentOptimizer(0.5).minimize(cross_entropy)
        batch_xs = np.zeros((100, 28, 28), np.float32)
        batch_ys = np.zeros((100, 10), np.float32)
        sess = tf.InteractiveSession()
        tf.global_variables_initializer().run()
        sess.run(train_step, feed_dict={x: batch_xs, y_: batch_ys})
    """,
    "softmax_flattened": """
        x = tf.placeholder(tf.float32, [None, 784])
        W = tf.Variable(tf.zeros([784, 10]))
        b = tf.Variable(tf.zeros([10]))
        y = tf.nn.softmax(tf.matmul(x, W) + b)
        y_ = tf.placeholder(tf.float32, [None, 10])
        cross_entropy = tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(y), reduction_indices=[1]))
        correct = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
        train_step = tf.train.GradientDescentOptimizer(0.5).minimize(cross_entropy)
        batch_xs = np.zeros((100, 28, 28), np.float32).reshape(-1, 784)
        batch_ys = np.zeros((100, 10), np.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train_step, feed_dict={x: batch_xs, y_: batch_ys})
            acc = accuracy.eval(feed_dict={x: batch_xs, y_: batch_ys})
    """,
    # integer class ids fed where one-hot rows are declared
    "labels_not_one_hot": """
        x = tf.placeholder(tf.float32, [None, 4])
        y_ = tf.placeholder(tf.float32, [None, 3])
        W = tf.Variable(tf.random_normal([4, 3]))
        logits = tf.matmul(x, W)
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=logits))
        train_op = tf.train.AdamOptimizer(0.01).minimize(loss)
        features = np.random.rand(150, 4)
        labels = np.random.randint(0, 3, size=150)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for epoch in range(3):
                _, cost = sess.run([train_op, loss], feed_dict={x: features, y_: labels})
    """,
    "labels_one_hot": """
        x = tf.placeholder(tf.float32, [None, 4])
        y_ = tf.placeholder(tf.float32, [None, 3])
        W = tf.Variable(tf.random_normal([4, 3]))
        logits = tf.matmul(x, W)
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=logits))
        train_op = tf.train.AdamOptimizer(0.01).minimize(loss)
        features = np.random.rand(150, 4)
        labels = np.eye(3)[np.random.randint(0, 3, size=150)]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for epoch in range(3):
                _, cost = sess.run([train_op, loss], feed_dict={x: features, y_: labels})
    """,
    # a regression target declared as a column, fed as a flat vector
    "target_not_a_column": """
        tf.disable_v2_behavior()
        X = tf.placeholder(tf.float32, shape=(None, 13))
        Y = tf.placeholder(tf.float32, shape=(None, 1))
        w = tf.get_variable("w", shape=[13, 1], initializer=tf.zeros_initializer())
        bias = tf.get_variable("bias", [1], initializer=tf.zeros_initializer())
        pred = tf.matmul(X, w) + bias
        mse = tf.reduce_mean(tf.square(pred - Y))
        step = tf.train.GradientDescentOptimizer(0.01).minimize(mse)
        data = np.random.rand(506, 13)
        target = np.random.rand(506)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        sess.run(step, feed_dict={X: data, Y: target})
    """,
    "target_a_column": """
        tf.disable_v2_behavior()
        X = tf.placeholder(tf.float32, shape=(None, 13))
        Y = tf.placeholder(tf.float32, shape=(None, 1))
        w = tf.get_variable("w", shape=[13, 1], initializer=tf.zeros_initializer())
        bias = tf.get_variable("bias", [1], initializer=tf.zeros_initializer())
        pred = tf.matmul(X, w) + bias
        mse = tf.reduce_mean(tf.square(pred - Y))
        step = tf.train.GradientDescentOptimizer(0.01).minimize(mse)
        data = np.random.rand(506, 13)
        target = np.random.rand(506).reshape(-1, 1)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        feed = {X: data, Y: target}
        sess.run(step, feed)
        prediction = sess.run(pred, feed_dict={X: data[:1]})
    """,
    # predicting one sample: no batch axis
    "one_sample_no_batch": """
        x = tf.placeholder(tf.float32, [None, 8])
        W = tf.Variable(np.zeros((8, 2), np.float32))
        out = tf.nn.sigmoid(tf.matmul(x, W))
        sample = np.random.rand(8)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            print(sess.run(out, feed_dict={x: sample}))
    """,
    # the deep MNIST tutorial: convolutions and pooling on a reshaped input
    "deep_mnist": """
        x = tf.placeholder(tf.float32, shape=[None, 784])
        y_ = tf.placeholder(tf.float32, shape=[None, 10])

        def weight_variable(shape):
            return tf.Variable(tf.truncated_normal(shape, stddev=0.1))

        def bias_variable(shape):
            return tf.Variable(tf.constant(0.1, shape=shape))

        def conv2d(inp, W):
            return tf.nn.conv2d(inp, W, strides=[1, 1, 1, 1], padding="SAME")

        def max_pool_2x2(inp):
            return tf.nn.max_pool(inp, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")

        x_image = tf.reshape(x, [-1, 28, 28, 1])
        h_conv1 = tf.nn.relu(conv2d(x_image, weight_variable([5, 5, 1, 32])) + bias_variable([32]))
        h_pool1 = max_pool_2x2(h_conv1)
        h_conv2 = tf.nn.relu(conv2d(h_pool1, weight_variable([5, 5, 32, 64])) + bias_variable([64]))
        h_pool2 = max_pool_2x2(h_conv2)
        h_flat = tf.reshape(h_pool2, [-1, 7 * 7 * 64])
        h_fc1 = tf.nn.relu(tf.matmul(h_flat, weight_variable([7 * 7 * 64, 1024])) + bias_variable([1024]))
        keep_prob = tf.placeholder(tf.float32)
        h_drop = tf.nn.dropout(h_fc1, keep_prob)
        y_conv = tf.matmul(h_drop, weight_variable([1024, 10])) + bias_variable([10])
        flat_shape = h_flat.get_shape().as_list()
        cross_entropy = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=y_conv))
        train_step = tf.train.AdamOptimizer(1e-4).minimize(cross_entropy)
        images = np.zeros((50, 28, 28, 1), np.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            train_step.run(feed_dict={x: images.reshape(-1, 784), y_: np.zeros((50, 10)), keep_prob: 0.5})
    """,
    # the same network fed the images as they were loaded
    "deep_mnist_images_fed": """
        x = tf.placeholder(tf.float32, shape=[None, 784])
        x_image = tf.reshape(x, [-1, 28, 28, 1])
        W1 = tf.Variable(tf.truncated_normal([5, 5, 1, 32], stddev=0.1))
        h1 = tf.nn.relu(tf.nn.conv2d(x_image, W1, strides=[1, 1, 1, 1], padding="SAME"))
        p1 = tf.nn.max_pool(h1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
        images = np.zeros((50, 28, 28, 1), np.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(p1, feed_dict={x: images})
    """,
    # VALID pooling, strides other than the window, average pooling
    "pooling_sizes": """
        img = tf.placeholder(tf.float32, [None, 33, 17, 3])
        p_valid = tf.nn.max_pool(img, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="VALID")
        p_same = tf.nn.avg_pool(img, ksize=[1, 3, 3, 1], strides=[1, 3, 2, 1], padding="SAME")
        p_2d = tf.nn.max_pool2d(img, ksize=2, strides=2, padding="VALID")
        seq = tf.placeholder(tf.float32, [8, 20, 5])
        p_1d = tf.nn.max_pool1d(seq, ksize=4, strides=4, padding="SAME")
        k = tf.Variable(tf.random_uniform([3, 3, 3, 16]))
        conv = tf.nn.bias_add(tf.nn.conv2d(img, k, strides=[1, 2, 2, 1], padding="VALID"), tf.zeros([16]))
    """,
    # a batch size fixed in the placeholder, fed another
    "fixed_batch_fed_other": """
        inputs = tf.placeholder(tf.float32, [32, 10])
        dense = tf.matmul(inputs, tf.ones([10, 4]))
        with tf.Session() as sess:
            sess.run(dense, feed_dict={inputs: np.ones((16, 10))})
    """,
    # no shape declared: anything may be fed; lists are arrays
    "any_shape_and_lists": """
        anything = tf.placeholder(tf.float32)
        row = tf.placeholder(tf.float32, [None, 3])
        both = tf.reduce_sum(anything) + tf.reduce_sum(row)
        with tf.Session() as sess:
            sess.run(both, feed_dict={anything: np.ones((2, 5, 7)), row: [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]})
    """,
    "list_fed_flat": """
        row = tf.placeholder(tf.float32, [None, 3])
        total = tf.reduce_sum(row, 1, keep_dims=True)
        with tf.Session() as sess:
            sess.run(total, feed_dict={row: [1.0, 2.0, 3.0]})
    """,
    # a width the code does not show (read at run time): the rank still decides
    "width_not_shown_target_flat": """
        import os
        n_features = int(os.environ.get("N_FEATURES", "8"))
        X = tf.placeholder(tf.float32, [None, n_features])
        Y = tf.placeholder(tf.float32, [None, 1])
        data = np.random.rand(20, n_features + 1)
        pred = tf.layers.dense(X, 1)
        with tf.Session() as sess:
            sess.run(tf.reduce_sum(X) + tf.reduce_sum(Y), feed_dict={X: data[:, :-1], Y: data[:, -1]})
    """,
    "width_not_shown_target_column": """
        import os
        n_features = int(os.environ.get("N_FEATURES", "8"))
        X = tf.placeholder(tf.float32, [None, n_features])
        Y = tf.placeholder(tf.float32, [None, 1])
        data = np.random.rand(20, n_features + 1)
        with tf.Session() as sess:
            sess.run(tf.reduce_sum(X) + tf.reduce_sum(Y), feed_dict={X: data[:, :-1], Y: data[:, -1:]})
    """,
    # unstack and embedding lookups need no Keras
    "unstack_and_embedding": """
        seq = tf.placeholder(tf.float32, [None, 6, 3])
        steps = tf.unstack(seq, 6, 1)
        first = steps[0]
        rows = tf.unstack(tf.zeros([4, 5]))
        row = rows[-1]
        table = tf.Variable(tf.zeros([1000, 50]))
        ids = tf.placeholder(tf.int32, [None, 20])
        embedded = tf.nn.embedding_lookup(table, ids)
        one = tf.nn.embedding_lookup(table, tf.constant(7))
    """,
    # TensorFlow 1's recurrent cells (they need tf_keras in TensorFlow 2.16+)
    "rnn_cells": """
        timesteps, num_input, num_hidden = 28, 28, 128
        X = tf.placeholder(tf.float32, [None, timesteps, num_input])
        steps = tf.unstack(X, timesteps, 1)
        with tf.variable_scope("static"):
            outputs, states = tf.nn.static_rnn(tf.nn.rnn_cell.BasicLSTMCell(num_hidden), steps, dtype=tf.float32)
        last_step = outputs[-1]
        logits = tf.matmul(last_step, tf.Variable(tf.zeros([num_hidden, 10])))
        with tf.variable_scope("dynamic"):
            stacked = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(64), tf.nn.rnn_cell.GRUCell(32)])
            dyn, state = tf.nn.dynamic_rnn(stacked, X, dtype=tf.float32)
        with tf.variable_scope("projected"):
            proj, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(64, num_proj=16), X, dtype=tf.float32)
        with tf.variable_scope("both"):
            (fw, bw), _ = tf.nn.bidirectional_dynamic_rnn(tf.nn.rnn_cell.GRUCell(8), tf.nn.rnn_cell.GRUCell(4), X,
                                                          dtype=tf.float32)
        last = dyn[:, -1, :]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(logits, feed_dict={X: np.zeros((128, 784))})
    """,
    "placeholder_with_default": """
        rate = tf.placeholder_with_default(0.5, shape=())
        feats = tf.placeholder_with_default(np.zeros((4, 6), np.float32), shape=[None, 6])
        scaled = feats * rate
        with tf.Session() as sess:
            sess.run(scaled, feed_dict={feats: np.ones((3, 6)), rate: 0.1})
    """,
    # TensorFlow 1's layer functions: the tutorial's CNN
    "layers_cnn": """
        x = tf.placeholder(tf.float32, [None, 784])
        labels = tf.placeholder(tf.int32, [None])
        input_layer = tf.reshape(x, [-1, 28, 28, 1])
        conv1 = tf.layers.conv2d(inputs=input_layer, filters=32, kernel_size=[5, 5], padding="same",
                                 activation=tf.nn.relu)
        pool1 = tf.layers.max_pooling2d(inputs=conv1, pool_size=[2, 2], strides=2)
        conv2 = tf.layers.conv2d(pool1, 64, 5, activation=tf.nn.relu)
        pool2 = tf.layers.average_pooling2d(conv2, 2, 2, padding="same")
        norm = tf.layers.batch_normalization(pool2, training=True)
        flat = tf.layers.flatten(norm)
        dense = tf.layers.dense(inputs=flat, units=1024, activation=tf.nn.relu)
        dropout = tf.layers.dropout(inputs=dense, rate=0.4, training=True)
        logits = tf.layers.dense(inputs=dropout, units=10)
        seq = tf.placeholder(tf.float32, [None, 50, 8])
        conv_seq = tf.layers.conv1d(seq, 16, 3, strides=2)
        pooled_seq = tf.layers.max_pooling1d(conv_seq, 2, 2)
        per_step = tf.layers.dense(pooled_seq, 4)
        up = tf.layers.conv2d_transpose(pool1, 8, 3, strides=2, padding="same")
        loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    """,
    # a convolution straight on the flat placeholder
    "layers_conv_on_flat_input": """
        x = tf.placeholder(tf.float32, [None, 784])
        conv1 = tf.layers.conv2d(x, 32, [5, 5], padding="same", activation=tf.nn.relu)
        pool1 = tf.layers.max_pooling2d(conv1, 2, 2)
    """,
    # TensorFlow's own convolutions and pools refuse what cannot fit
    "conv_filter_for_rgb_on_gray": """
        x = tf.placeholder(tf.float32, [None, 28, 28, 1])
        W = tf.Variable(tf.truncated_normal([5, 5, 3, 32], stddev=0.1))
        h = tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding="SAME")
    """,
    "conv_on_flat_placeholder": """
        x = tf.placeholder(tf.float32, [None, 784])
        W = tf.Variable(tf.truncated_normal([5, 5, 1, 32], stddev=0.1))
        h = tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding="SAME")
    """,
    "pool_window_past_the_map": """
        x = tf.placeholder(tf.float32, [None, 28, 28, 1])
        W = tf.Variable(tf.truncated_normal([5, 5, 1, 8], stddev=0.1))
        h = tf.nn.conv2d(x, W, strides=[1, 4, 4, 1], padding="VALID")
        p = tf.nn.max_pool(h, ksize=[1, 8, 8, 1], strides=[1, 2, 2, 1], padding="VALID")
    """,
    "conv_and_pool_that_fit": """
        x = tf.placeholder(tf.float32, [None, 28, 28, 4])
        W = tf.Variable(tf.truncated_normal([3, 3, 2, 8], stddev=0.1))
        grouped = tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding="SAME")
        dilated = tf.nn.conv2d(x, tf.zeros([3, 3, 4, 8]), strides=1, padding="VALID", dilations=2)
        pooled = tf.nn.max_pool(dilated, ksize=[1, 24, 24, 1], strides=[1, 1, 1, 1], padding="VALID")
    """,
    # splitting, squeezing, permuting and adding axes
    "split_into_unequal_thirds": """
        x = tf.placeholder(tf.float32, [None, 10, 3])
        parts = tf.split(x, 3, axis=1)
    """,
    "split_sizes_not_adding_up": """
        x = tf.placeholder(tf.float32, [None, 10, 3])
        parts = tf.split(x, [4, 4], axis=1)
    """,
    "squeeze_an_axis_of_ten": """
        x = tf.placeholder(tf.float32, [None, 10, 3])
        flat = tf.squeeze(x, axis=1)
    """,
    "transpose_perm_too_short": """
        x = tf.placeholder(tf.float32, [None, 10, 3])
        swapped = tf.transpose(x, [1, 0])
    """,
    "expand_dims_past_the_rank": """
        x = tf.placeholder(tf.float32, [None, 10, 3])
        more = tf.expand_dims(x, 5)
    """,
    "split_squeeze_transpose_that_fit": """
        x = tf.placeholder(tf.float32, [None, 10, 3])
        fifths = tf.split(x, 5, axis=1)
        fifth = fifths[0]
        head, rest = tf.split(x, [4, -1], axis=1)
        column = tf.placeholder(tf.float32, [None, 1])
        flat = tf.squeeze(column, axis=1)
        swapped = tf.transpose(x, [1, 0, 2])
        last = tf.expand_dims(x, -1)
        first = tf.expand_dims(x, -4)
    """,
    # loss ops: one-hot labels given to the sparse loss (TensorFlow checks the
    # ranks when the graph is built)
    "sparse_loss_one_hot_labels": """
        x = tf.placeholder(tf.float32, [None, 20])
        y = tf.placeholder(tf.int32, [None, 4])
        logits = tf.layers.dense(x, 4)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    """,
    "sparse_loss_class_ids": """
        x = tf.placeholder(tf.float32, [None, 20])
        y = tf.placeholder(tf.int32, [None])
        logits = tf.matmul(x, tf.Variable(tf.zeros([20, 4])))
        per_row = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        loss = tf.reduce_mean(per_row)
        dense_loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.one_hot(y, 4), logits=logits)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(loss, feed_dict={x: np.ones((6, 20)), y: np.arange(6) % 4})
    """,
    # a binary target column against ten sigmoid logits
    "sigmoid_loss_column_vs_ten": """
        x = tf.placeholder(tf.float32, [None, 20])
        y = tf.placeholder(tf.float32, [None, 1])
        logits = tf.matmul(x, tf.Variable(tf.zeros([20, 10])))
        loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits)
    """,
    "v1_losses_one_hot_vs_column": """
        x = tf.placeholder(tf.float32, [None, 20])
        y = tf.placeholder(tf.float32, [None, 1])
        logits = tf.layers.dense(x, 3)
        loss = tf.losses.softmax_cross_entropy(onehot_labels=y, logits=logits)
    """,
    "v1_losses_consistent": """
        x = tf.placeholder(tf.float32, [None, 20])
        ids = tf.placeholder(tf.int32, [None, 1])
        onehot = tf.placeholder(tf.float32, [None, 3])
        logits = tf.layers.dense(x, 3)
        sparse = tf.losses.sparse_softmax_cross_entropy(labels=ids, logits=logits)
        dense = tf.losses.softmax_cross_entropy(onehot_labels=onehot, logits=logits)
        absolute = tf.losses.absolute_difference(onehot, tf.nn.softmax(logits))
        sigmoid = tf.nn.sigmoid_cross_entropy_with_logits(labels=onehot, logits=logits)
    """,
}

# Programs whose op TensorFlow refuses only when it runs (the static check
# sees an unknown batch size): the finding is on the op's line, marked
# ``# refused``; TensorFlow raises at the sess.run that runs it.
AT_RUN = {
    "softmax_loss_five_vs_ten": ("""
        x = tf.placeholder(tf.float32, [None, 20])
        y = tf.placeholder(tf.float32, [None, 5])
        logits = tf.matmul(x, tf.Variable(tf.zeros([20, 10])))
        loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits)  # refused
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(loss, feed_dict={x: np.ones((6, 20)), y: np.eye(5)[np.arange(6) % 5]})
    """, "logits and labels must be broadcastable"),
    "softmax_loss_class_ids": ("""
        x = tf.placeholder(tf.float32, [None, 20])
        y = tf.placeholder(tf.float32, [None])
        logits = tf.matmul(x, tf.Variable(tf.zeros([20, 10])))
        loss = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits)  # refused
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(loss, feed_dict={x: np.ones((6, 20)), y: np.arange(6) % 5})
    """, "logits and labels must be broadcastable"),
}
PROGRAMS.update({name: text for name, (text, _said) in AT_RUN.items()})

# (A program that runs a session uses no tf.layers function: without
# tf_keras the oracle stands in a placeholder for each, which is not fed.)

# What TensorFlow raises, by the finding shapelint gives for it.
RAISED = {
    "feed-shape-mismatch": ("ValueError", ("Cannot feed value of shape",)),
    "incompatible-input-rank": ("ValueError", ("Input 0 ",)),  # "of layer"; Keras 3: "with name .. of layer"
    "incompatible-op-operands": ("ValueError", ("`labels.shape.rank` must equal", "`logits` and `labels` must have",
                                                "Shapes (", "Depth of input", "Negative dimension size",
                                                "Shape must be rank", "Dimension size must be evenly divisible",
                                                "can't split axis", "Can not squeeze dim", "Dimension must be",
                                                "dim 5 not in the interval")),
}

# Programs TensorFlow 2.16+ runs only with tf_keras (the oracle says which
# Keras it had; without tf_keras they are skipped).
NEEDS_TF_KERAS = {"rnn_cells"}

# Names each program must claim exactly (each compared with TensorFlow).
CLAIMED = {
    "softmax_flattened": {"x", "W", "b", "y", "y_"},
    "deep_mnist": {"x_image", "h_conv1", "h_pool1", "h_conv2", "h_pool2", "h_flat", "h_fc1", "h_drop",
                   "y_conv"},
    "target_a_column": {"X", "Y", "w", "bias", "pred"},
    "pooling_sizes": {"p_valid", "p_same", "p_2d", "p_1d", "k", "conv"},
    "one_sample_no_batch": {"x", "W", "out"},
    "placeholder_with_default": {"rate", "feats", "scaled"},
    "sparse_loss_class_ids": {"logits", "per_row", "loss", "dense_loss"},
    "v1_losses_consistent": {"logits", "sparse", "dense", "absolute", "sigmoid"},
    "unstack_and_embedding": {"first", "row", "embedded"},
    "conv_and_pool_that_fit": {"grouped", "dilated", "pooled"},
    "split_squeeze_transpose_that_fit": {"fifth", "head", "rest", "flat", "swapped", "last", "first"},
    "pool_window_past_the_map": {"h"},
    "rnn_cells": {"last_step", "logits", "dyn", "proj", "fw", "bw", "last"},
    "layers_cnn": {"input_layer", "conv1", "pool1", "conv2", "pool2", "norm", "flat", "dense", "dropout", "logits",
                   "conv_seq", "pooled_seq", "per_step", "up"},
}


def _source(name: str, tf1_import: bool = False) -> str:
    text = HEAD + textwrap.dedent(PROGRAMS[name]).lstrip("\n")
    if tf1_import:
        text = text.replace("import tensorflow.compat.v1 as tf\n", "import tensorflow as tf\n")
    return text


@pytest.fixture(scope="module", name="oracle")
def fixture_oracle(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tf_graph")
    paths = {}
    for name in PROGRAMS:
        path = folder / f"{name}.py"
        path.write_text(_source(name), encoding="utf-8")
        paths[name] = str(path)
    out = folder / "oracle.json"
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "tf_graph_runner.py"), str(out)]
                          + list(paths.values()), capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    runs = json.loads(out.read_text(encoding="utf-8"))
    return {name: runs[path] for name, path in paths.items()}


def _claims(source: str) -> dict:
    """Module-level name -> shape, for each tensor shapelint claims exactly."""
    evaluator = Evaluator(parse(source, "m.py"), "m.py")
    graph = evaluator.run()
    claims = {}
    for name, value in evaluator.module_env.vars.items():
        if isinstance(value, Tensor) and graph.exact(value.tid):
            shape = graph.shape(value.tid)
            claims[name] = None if shape is None else list(shape)
    return claims


@pytest.mark.parametrize("tf1_import", [False, True], ids=["compat_v1", "tf1"])
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program(name, tf1_import, oracle):
    run = oracle[name]
    if name in NEEDS_TF_KERAS and run["layers"] != "tf_keras":
        pytest.skip("TensorFlow 1's RNN cells need tf_keras, which is not installed")
    source = _source(name, tf1_import)
    result = analyze_source(source, f"{name}.py")
    error = run["error"]
    if error is None:
        assert not result.findings, [f.message for f in result.findings]
    elif name in AT_RUN:
        assert error["type"] == "InvalidArgumentError" and AT_RUN[name][1] in error["detail"], error
        marked = [n for n, line in enumerate(source.splitlines(), 1) if line.endswith("# refused")]
        assert error["line"] > marked[0]
        assert [(f.line, f.symbol) for f in result.findings] == [(marked[0], "incompatible-op-operands")], \
            [f.message for f in result.findings]
    else:
        kinds = [k for k, (kind, texts) in RAISED.items()
                 if error["type"] == kind and error["message"].startswith(texts)]
        assert kinds, error
        assert [(f.line, f.symbol) for f in result.findings] == [(error["line"], kinds[0])], \
            (error, [f.message for f in result.findings])
    claims = _claims(source)
    wrong = {n: (shape, run["shapes"].get(n)) for n, shape in claims.items() if run["shapes"].get(n, "?") != shape}
    assert not wrong, wrong
    missing = CLAIMED.get(name, set()) - set(claims)
    assert not missing, (missing, claims)


def test_refused_feeds_are_the_programs_tensorflow_refuses(oracle):
    """The programs above include refused feeds of each kind the fix line
    names (flattening, one-hot, a column, a batch of one, a fixed batch)."""
    ran = {name: run for name, run in oracle.items() if name not in NEEDS_TF_KERAS or run["layers"] == "tf_keras"}
    refused = sorted(name for name, run in ran.items() if run["error"] is not None)
    expected = {"split_into_unequal_thirds", "split_sizes_not_adding_up", "squeeze_an_axis_of_ten",
                "transpose_perm_too_short", "expand_dims_past_the_rank", "conv_filter_for_rgb_on_gray", "conv_on_flat_placeholder", "pool_window_past_the_map",
                "deep_mnist_images_fed", "fixed_batch_fed_other", "labels_not_one_hot", "layers_conv_on_flat_input",
                "list_fed_flat", "one_sample_no_batch", "rnn_cells", "sigmoid_loss_column_vs_ten",
                "softmax_loss_class_ids", "softmax_loss_five_vs_ten", "softmax_unflattened",
                "sparse_loss_one_hot_labels", "target_not_a_column", "v1_losses_one_hot_vs_column",
                "width_not_shown_target_flat"}
    assert refused == sorted(expected & set(ran)), {name: oracle[name]["error"] for name in refused}


@pytest.mark.parametrize("name, fix", [
    ("softmax_unflattened", "batch_xs.reshape(-1, 784)"),
    ("labels_not_one_hot", "np.eye(3)[labels]"),
    ("target_not_a_column", "target.reshape(-1, 1)"),
    ("one_sample_no_batch", "np.expand_dims(sample, 0)"),
    ("width_not_shown_target_flat", "data[:, -1].reshape(-1, 1)"),
])
def test_fix_names_the_value(name, fix):
    result = analyze_source(_source(name), f"{name}.py")
    assert len(result.findings) == 1
    assert fix in result.findings[0].suggestions[0], result.findings[0].suggestions


def test_message_quotes_tensorflow(oracle):
    """The message quotes TensorFlow's own error up to the tensor's name,
    which depends on the graph's other nodes.  TensorFlow 1 (and TensorFlow
    2 after ``tf.disable_v2_behavior()``) prints an unknown size as ``?``;
    the oracle runs with TensorFlow 2's shapes, which print ``None``."""
    result = analyze_source(_source("softmax_unflattened"), "m.py")
    quoted = oracle["softmax_unflattened"]["error"]["message"]
    message = result.findings[0].message
    assert "Cannot feed value of shape (100, 28, 28) for Tensor" in quoted
    assert "Cannot feed value of shape (100, 28, 28) for Tensor ..., which has shape (?, 784)" in message
    assert quoted.replace("None", "?").endswith("which has shape (?, 784)")
    assert "batch_xs, of shape (100, 28, 28), to x, of shape (?, 784)" in message


# TensorFlow 1's tutorial MNIST reader (tensorflow.examples.tutorials.mnist)
# is gone from TensorFlow 2 and installs nowhere here: these tests check the
# sizes its documentation gives (TensorFlow 1.15's mnist.py and "MNIST For ML
# Beginners": 55,000 training rows, 5,000 validation, 10,000 test; images
# flattened to 784 floats unless reshape=False; labels class ids, or one-hot
# rows of 10 with one_hot=True).
MNIST = """
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("MNIST_data/", one_hot={one_hot}{extra})
train_images = mnist.train.images
train_labels = mnist.train.labels
valid_images = mnist.validation.images
test_labels = mnist.test.labels
batch_x, batch_y = mnist.train.next_batch(50)
count = mnist.train.num_examples
"""


@pytest.mark.parametrize("one_hot, extra, expected", [
    (True, "", {"train_images": (55000, 784), "train_labels": (55000, 10), "valid_images": (5000, 784),
                "test_labels": (10000, 10), "batch_x": (50, 784), "batch_y": (50, 10), "count": 55000}),
    (False, ", reshape=False, validation_size=0", {
        "train_images": (60000, 28, 28, 1), "train_labels": (60000,), "valid_images": (0, 28, 28, 1),
        "test_labels": (10000,), "batch_x": (50, 28, 28, 1), "batch_y": (50,), "count": 60000}),
])
def test_mnist_tutorial_reader(one_hot, extra, expected):
    evaluator = Evaluator(parse(MNIST.format(one_hot=one_hot, extra=extra), "m.py"), "m.py")
    evaluator.run()
    got = {}
    for name in expected:
        value = evaluator.module_env.vars[name]
        got[name] = value if isinstance(value, int) else value.shape
    assert got == expected
    labels = evaluator.module_env.vars["train_labels"]
    assert (labels.classes, labels.onehot, labels.dtype) == ((10, True, "float") if one_hot else (10, False, "int"))


def test_list_extended_in_a_loop_over_unseen_items_is_not_an_empty_feed():
    """A list filled by ``extend`` in a loop over what the code does not show
    (files on disk) is not the empty list it started as: feeding labels made
    from it is not a (0,)-shaped value (TensorFlow Hub's flowers notebook)."""
    source = """
        import os
        import random
        import numpy as np
        import tensorflow as tf

        def make_sets():
            examples = []
            for dirname, subdirs, filenames in os.walk("flower_photos"):
                pairs = list(zip(filenames, [1] * len(filenames)))
                examples.extend(pairs[:int(len(filenames) * 0.8)])
            return examples

        TRAIN = make_sets()
        labels = tf.placeholder(tf.float32, [None, 5])
        batch = random.sample(TRAIN, 10) if len(TRAIN) > 10 else TRAIN
        one_hot = [np.eye(5)[e[1]] for e in batch]
        with tf.Session() as sess:
            sess.run(labels, feed_dict={labels: one_hot})
    """
    assert not analyze_source(textwrap.dedent(source).lstrip("\n"), "m.py").findings


def test_list_filled_on_a_later_loop_trip_is_not_an_empty_feed():
    """A loop followed once takes only its first trip's branch: the list the
    later trips fill still looks empty, which is no feed to judge."""
    source = """
        import os
        import numpy as np
        import tensorflow as tf

        examples = []
        is_root = True
        for dirname, subdirs, filenames in os.walk("flower_photos"):
            if is_root:
                is_root = False
            else:
                examples.extend(filenames)
        labels = tf.placeholder(tf.float32, [None, 5])
        one_hot = [np.eye(5)[0] for e in examples]
        with tf.Session() as sess:
            sess.run(labels, feed_dict={labels: one_hot})
    """
    assert not analyze_source(textwrap.dedent(source).lstrip("\n"), "m.py").findings


def test_mnist_batch_fed_to_image_placeholder():
    source = """
        import tensorflow as tf
        from tensorflow.examples.tutorials.mnist import input_data

        mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
        x = tf.placeholder(tf.float32, [None, 28, 28, 1])
        y_ = tf.placeholder(tf.float32, [None, 10])
        total = tf.reduce_sum(x) + tf.reduce_sum(y_)
        sess = tf.InteractiveSession()
        for i in range(100):
            batch = mnist.train.next_batch(50)
            sess.run(total, feed_dict={x: batch[0], y_: batch[1]})
    """
    result = analyze_source(textwrap.dedent(source).lstrip("\n"), "m.py")
    assert [(f.line, f.symbol) for f in result.findings] == [(11, "feed-shape-mismatch")]
    assert "batch[0].reshape(-1, 28, 28, 1)" in result.findings[0].suggestions[0]
    fixed = source.replace("[None, 28, 28, 1]", "[None, 784]")
    assert not analyze_source(textwrap.dedent(fixed).lstrip("\n"), "m.py").findings


# tf.contrib.layers (and TF-Slim) are gone from TensorFlow 2 and install
# nowhere here: each function is checked against the Keras layer TensorFlow
# 1.15's documentation makes it (fully_connected: a dense layer; conv2d:
# padding "SAME" and stride 1 by default; max_pool2d/avg_pool2d: stride 2
# and padding "VALID" by default), computed by Keras 3 on the same shape.
CONTRIB = """
import tensorflow as tf
slim = tf.contrib.slim

X = tf.placeholder(tf.float32, [None, 64, 64, 3])
flat = tf.contrib.layers.flatten(tf.nn.max_pool(X, ksize=[1, 8, 8, 1], strides=[1, 8, 8, 1], padding="SAME"))
dense = tf.contrib.layers.fully_connected(flat, 6, activation_fn=None)
conv = tf.contrib.layers.conv2d(X, 16, 3, stride=2)
pool = tf.contrib.layers.max_pool2d(conv, [2, 2])
avg = tf.contrib.layers.avg_pool2d(conv, 3, stride=1, padding="SAME")
valid = slim.conv2d(X, 8, [5, 5], padding="VALID")
"""


def test_contrib_layers_as_documented():
    keras = pytest.importorskip("keras")
    expected = {
        "flat": keras.layers.Flatten().compute_output_shape((None, 8, 8, 3)),
        "dense": keras.layers.Dense(6).compute_output_shape((None, 192)),
        "conv": keras.layers.Conv2D(16, 3, strides=2, padding="same").compute_output_shape((None, 64, 64, 3)),
        "pool": keras.layers.MaxPooling2D(2, strides=2, padding="valid").compute_output_shape((None, 32, 32, 16)),
        "avg": keras.layers.AveragePooling2D(3, strides=1, padding="same").compute_output_shape((None, 32, 32, 16)),
        "valid": keras.layers.Conv2D(8, 5, padding="valid").compute_output_shape((None, 64, 64, 3)),
    }
    claims = _claims(CONTRIB)
    assert {name: tuple(claims[name]) for name in expected} == {k: tuple(v) for k, v in expected.items()}
    assert claims["flat"] == [None, 192]
