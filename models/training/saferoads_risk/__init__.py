"""Training pipeline of the Saferoads risk model: data, LightGBM, ONNX export, metrics, model card."""
