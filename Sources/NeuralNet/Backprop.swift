/// Backpropagation (Nielsen ch. 2, "The four fundamental equations behind
/// backpropagation"), in matrix form over a mini-batch of `B` rows. Each row of
/// `Δ^l` (`B x n_l`) is the error `δ^l = ∂C_x/∂z^l` of one example.
extension Network {
    /// Computes the gradient of the mini-batch mean cost
    /// `C = (1/B) Σ_x w_x C_x` into `grads`, after ``forward(input:rows:)`` on the same batch;
    /// `w_x` is the weight of row x's class (``classWeights``, 1 without them), so each row of
    /// `Δ^L` is scaled by its `w_x` and BP2–BP4 carry it through unchanged.
    ///
    /// - BP1 (output error, `B x n_L`): `Δ^L = (A^L − Y) ⊙ σ'(Z^L)` for the quadratic
    ///   cost with sigmoid outputs (Nielsen eq. (BP1), (30)); `Δ^L = A^L − Y` for softmax
    ///   with the log-likelihood cost (Nielsen ch. 3, eqs. (81)–(82)). `Y` is one-hot (`B x n_L`).
    /// - BP2 (`B x n_{l−1}`): `Δ^{l−1} = (Δ^l W^l) ⊙ σ'(Z^{l−1})` — ``SmallProducts/backward(rows:nIn:nOut:delta:w:d:scratch:)``
    ///   (`cblas_dgemm` NoTrans/NoTrans for a layer wider than 32).
    /// - BP3 (`n_l`): `∂C/∂b^l = (1/B) (Δ^l)^T 1` — column sums of `Δ^l`, a loop over rows.
    /// - BP4 (`n_l x n_{l−1}`): `∂C/∂W^l = (1/B) (Δ^l)^T A^{l−1}` — ``SmallProducts/weightGradient(rows:nIn:nOut:alpha:delta:a:g:scratch:)``
    ///   (`cblas_dgemm` Trans/NoTrans for a layer wider than 32).
    ///
    /// The factor `1/B` makes the gradient the batch mean (Nielsen ch. 1, eqs. (20)–(21)),
    /// so a batch of `B` copies of one row gives the gradient of that row.
    ///
    /// - Parameters:
    ///   - input: the same `rows x n_0` batch given to `forward`.
    ///   - labels: `rows` class indices in `0..<n_L`.
    ///   - rows: `B`, `1...capacity`.
    func backward(input: UnsafePointer<Double>, labels: UnsafePointer<Int>, rows: Int) {
        let out = layerCount - 1, n = outputs
        // BP1
        let dL = delta[out], aL = a[out]
        for r in 0..<rows {
            let y = labels[r]
            let d = dL + r * n, ar = aL + r * n
            switch loss {
            case .mse:
                for j in 0..<n {
                    let aj = ar[j]
                    d[j] = (aj - (j == y ? 1 : 0)) * aj * (1 - aj)
                }
            case .crossEntropy:
                for j in 0..<n { d[j] = ar[j] - (j == y ? 1 : 0) }
            }
            if let w = classWeights?[y], w != 1 {
                for j in 0..<n { d[j] *= w }
            }
        }
        let invB = 1 / Double(rows)
        for i in stride(from: layerCount - 1, through: 0, by: -1) {
            let nIn = sizes[i], nOut = sizes[i + 1]
            let prevA = i == 0 ? input : UnsafePointer(a[i - 1])
            let di = UnsafePointer(delta[i])
            // BP4: ∂C/∂W^l = (1/B) (Δ^l)^T A^{l-1}
            SmallProducts.weightGradient(rows: rows, nIn: nIn, nOut: nOut, alpha: invB, delta: di, a: prevA,
                                         g: grads + weightOffset[i], scratch: scratch)
            // BP3: ∂C/∂b^l = (1/B) (Δ^l)^T 1, the column sums of Δ^l (rows in order)
            let gb = grads + biasOffset[i]
            gb.update(repeating: 0, count: nOut)
            for r in 0..<rows {
                let dr = di + r * nOut
                for j in 0..<nOut { gb[j] += dr[j] }
            }
            for j in 0..<nOut { gb[j] *= invB }
            if i > 0 {
                // BP2: Δ^{l-1} = (Δ^l W^l) ⊙ σ'(Z^{l-1})
                SmallProducts.backward(rows: rows, nIn: nIn, nOut: nOut, delta: di, w: params + weightOffset[i],
                                       d: delta[i - 1], scratch: scratch)
                activation.multiplyDerivative(delta[i - 1], z: z[i - 1], a: a[i - 1], count: rows * nIn)
            }
        }
    }

    /// Adds the L2 term `λ' W^l` to every weight gradient (biases untouched),
    /// by `cblas_daxpy`: the gradient of `C_0 + (λ'/2) Σ_l ‖W^l‖²`. With
    /// `λ' = λ/n` this is Nielsen ch. 3, eq. (88); the SGD step then becomes
    /// eq. (93), `w → (1 − ηλ/n) w − (η/m) Σ_x ∂C_x/∂w`.
    func addWeightDecay(_ lambda: Double) {
        guard lambda != 0 else { return }
        for i in 0..<layerCount {
            axpy(count: sizes[i + 1] * sizes[i], alpha: lambda,
                 x: params + weightOffset[i], y: grads + weightOffset[i])
        }
    }

    /// Mean (class-weighted) cost of a batch plus the L2 penalty `(λ'/2) Σ ‖W‖²`: the objective
    /// whose gradient ``backward(input:labels:rows:)`` + ``addWeightDecay(_:)`` compute.
    func objective(input: UnsafePointer<Double>, labels: UnsafePointer<Int>, rows: Int, weightDecay: Double) -> Double {
        forward(input: input, rows: rows)
        return lossSum(labels: labels, rows: rows, classWeights: classWeights).loss / Double(rows) + weightDecay * halfSquaredWeightNorm()
    }
}
