"""TensorFlow 1's softmax regression, fed images that were flattened to rows of 784 values."""
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

x = tf.placeholder(tf.float32, [None, 784])
y_ = tf.placeholder(tf.float32, [None, 10])
W = tf.Variable(tf.zeros([784, 10]))
b = tf.Variable(tf.zeros([10]))
logits = tf.matmul(x, W) + b
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=logits))
train_step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)

images = np.random.rand(100, 28, 28).astype(np.float32)
labels = np.eye(10)[np.random.randint(0, 10, 100)]
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(train_step, feed_dict={x: images.reshape(-1, 784), y_: labels})
