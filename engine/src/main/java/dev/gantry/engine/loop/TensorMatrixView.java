package dev.gantry.engine.loop;

import dev.gantry.engine.tensor.Tensor;
import dev.gantry.spi.speculator.MatrixView;

/** A model weight matrix as speculators read it: rows decoded on demand from the mapped file. */
final class TensorMatrixView implements MatrixView {

    private final Tensor tensor;

    TensorMatrixView(Tensor tensor) {
        this.tensor = tensor;
    }

    @Override
    public int rows() {
        return tensor.rows();
    }

    @Override
    public int cols() {
        return tensor.cols();
    }

    @Override
    public float dotRow(int row, float[] x, int xOffset) {
        return tensor.dotRow(row, x, xOffset);
    }

    @Override
    public void readRow(int row, float[] dst, int dstOffset) {
        tensor.dequantizeRow(row, dst, dstOffset);
    }
}
