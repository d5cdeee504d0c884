//! Lecture section 8, hands-on: *clasificación de imágenes con una red neuronal
//! convolucional*.
//!
//! This crate is the course's last step and is still being written: the
//! ConvolutionalModel and TinyVGG models, batch normalisation, the idx and
//! CIFAR-10 loaders, and the training loop will live here.
