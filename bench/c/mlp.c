/* The scalar C baseline of bench/run.py (docs/benchmarks.md, workload 1): the same training as
 * `exp-bench train`, written as plain loops (no BLAS, no intrinsics), built with `gcc -O2`.
 *
 *   cc -O2 -o mlp bench/c/mlp.c -lm
 *   mlp --data Data/iris.data --hidden 8 --batch 16 --epochs 1000 --repeats 7
 *
 * Prints one JSON object: {"times": [wall seconds per timed run], "cpu_times": [CPU seconds of the
 * process per timed run], "rows": n, "train_accuracy": a, "train_loss": l}.
 *
 * The work, equation for equation as NeuralNet.train does it: Iris without every fifth row
 * (120 rows), features standardised by the training rows' mean and population standard
 * deviation, one sigmoid hidden layer, softmax output with the max subtracted, cross-entropy
 * averaged over the mini-batch, N(0, 1) weights and biases, plain SGD (no momentum, no weight
 * decay), rows reshuffled every epoch (Fisher-Yates), the last shorter batch used, float64.
 * After every epoch, as exp does: a forward pass over all training rows, their mean loss
 * (m - z_y + ln sum_j e^(z_j - m)) and accuracy (argmax, ties to the lowest index).
 * One untimed run first; the timer covers scaling and training, as exp-bench's does.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_ROWS 256
#define MAX_FEATURES 8
#define MAX_CLASSES 8
#define MAX_HIDDEN 64

/* xoshiro256** seeded by SplitMix64, as Determinism's generator. */
static uint64_t s[4];
static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static void seed_rng(uint64_t seed) {
    for (int i = 0; i < 4; i++) {
        uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        s[i] = z ^ (z >> 31);
    }
}
static uint64_t next(void) {
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45);
    return result;
}
static double uniform(void) { return (double)(next() >> 11) * 0x1.0p-53; }
static double gaussian(void) {
    double u1 = 1 - uniform(), u2 = uniform();
    return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}
static int below(int bound) {
    __uint128_t m = (__uint128_t)next() * (uint64_t)bound;
    return (int)(m >> 64);
}

static double raw[MAX_ROWS * MAX_FEATURES];
static int labels[MAX_ROWS];
static int n, p, k;

static void load_iris(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); exit(2); }
    char line[256], names[MAX_CLASSES][64];
    int classes = 0, row = 0;
    p = 4;
    while (fgets(line, sizeof line, f)) {
        double v[4];
        char name[64];
        if (sscanf(line, "%lf,%lf,%lf,%lf,%63s", &v[0], &v[1], &v[2], &v[3], name) != 5) continue;
        int c = 0;
        while (c < classes && strcmp(names[c], name) != 0) c++;
        if (c == classes) strcpy(names[classes++], name);
        if (row++ % 5 == 4) continue;
        memcpy(raw + n * p, v, sizeof v);
        labels[n++] = c;
    }
    fclose(f);
    k = classes;
}

static double x[MAX_ROWS * MAX_FEATURES], xb[MAX_ROWS * MAX_FEATURES];
static int yb[MAX_ROWS], order[MAX_ROWS];
static double w1[MAX_HIDDEN * MAX_FEATURES], b1[MAX_HIDDEN], w2[MAX_CLASSES * MAX_HIDDEN], b2[MAX_CLASSES];
static double gw1[MAX_HIDDEN * MAX_FEATURES], gb1[MAX_HIDDEN], gw2[MAX_CLASSES * MAX_HIDDEN], gb2[MAX_CLASSES];
static double z1[MAX_ROWS * MAX_HIDDEN], a1[MAX_ROWS * MAX_HIDDEN], d1[MAX_ROWS * MAX_HIDDEN];
static double z2[MAX_ROWS * MAX_CLASSES], a2[MAX_ROWS * MAX_CLASSES], d2[MAX_ROWS * MAX_CLASSES];
static double sums[MAX_ROWS];

static double logistic(double z) {
    double e = exp(-fabs(z)), s = 1 / (1 + e);
    return z >= 0 ? s : e * s;
}

static void forward(const double *in, int rows, int h) {
    for (int r = 0; r < rows; r++) {
        for (int j = 0; j < h; j++) {
            double sum = 0;
            for (int i = 0; i < p; i++) sum += in[r * p + i] * w1[j * p + i];
            z1[r * h + j] = sum + b1[j];
            a1[r * h + j] = logistic(z1[r * h + j]);
        }
        double m = -INFINITY;
        for (int j = 0; j < k; j++) {
            double sum = 0;
            for (int i = 0; i < h; i++) sum += a1[r * h + i] * w2[j * h + i];
            z2[r * k + j] = sum + b2[j];
            if (z2[r * k + j] > m) m = z2[r * k + j];
        }
        double t = 0;
        for (int j = 0; j < k; j++) { double e = exp(z2[r * k + j] - m); a2[r * k + j] = e; t += e; }
        for (int j = 0; j < k; j++) a2[r * k + j] /= t;
        sums[r] = t;
    }
}

static void backward(const double *in, const int *y, int rows, int h) {
    double inv = 1.0 / rows;
    for (int r = 0; r < rows; r++)
        for (int j = 0; j < k; j++) d2[r * k + j] = a2[r * k + j] - (j == y[r] ? 1 : 0);
    /* BP4, BP3 for the output layer */
    for (int j = 0; j < k; j++) {
        for (int i = 0; i < h; i++) {
            double sum = 0;
            for (int r = 0; r < rows; r++) sum += d2[r * k + j] * a1[r * h + i];
            gw2[j * h + i] = inv * sum;
        }
        double sb = 0;
        for (int r = 0; r < rows; r++) sb += d2[r * k + j];
        gb2[j] = sb * inv;
    }
    /* BP2 */
    for (int r = 0; r < rows; r++)
        for (int i = 0; i < h; i++) {
            double sum = 0;
            for (int j = 0; j < k; j++) sum += d2[r * k + j] * w2[j * h + i];
            double a = a1[r * h + i];
            d1[r * h + i] = sum * a * (1 - a);
        }
    /* BP4, BP3 for the hidden layer */
    for (int j = 0; j < h; j++) {
        for (int i = 0; i < p; i++) {
            double sum = 0;
            for (int r = 0; r < rows; r++) sum += d1[r * h + j] * in[r * p + i];
            gw1[j * p + i] = inv * sum;
        }
        double sb = 0;
        for (int r = 0; r < rows; r++) sb += d1[r * h + j];
        gb1[j] = sb * inv;
    }
}

static void step(double *w, const double *g, int count, double lr) {
    for (int i = 0; i < count; i++) w[i] -= lr * g[i];
}

/* One training run; returns the last epoch's training accuracy. Not inlined, so a profiler can
 * count it alone (callgrind --toggle-collect=train). */
__attribute__((noinline)) double train(int h, int batch, int epochs, double lr, uint64_t seed, double *last_loss) {
    for (int i = 0; i < p; i++) {
        double mean = 0, var = 0;
        for (int r = 0; r < n; r++) mean += raw[r * p + i];
        mean /= n;
        for (int r = 0; r < n; r++) var += (raw[r * p + i] - mean) * (raw[r * p + i] - mean);
        double sd = sqrt(var / n);
        if (sd == 0) sd = 1;
        for (int r = 0; r < n; r++) x[r * p + i] = (raw[r * p + i] - mean) / sd;
    }
    seed_rng(seed);
    for (int i = 0; i < h * p; i++) w1[i] = gaussian();
    for (int i = 0; i < h; i++) b1[i] = gaussian();
    for (int i = 0; i < k * h; i++) w2[i] = gaussian();
    for (int i = 0; i < k; i++) b2[i] = gaussian();
    for (int r = 0; r < n; r++) order[r] = r;
    double accuracy = 0;
    for (int epoch = 0; epoch < epochs; epoch++) {
        for (int i = n - 1; i > 0; i--) {
            int j = below(i + 1), t = order[i];
            order[i] = order[j]; order[j] = t;
        }
        for (int first = 0; first < n; first += batch) {
            int rows = n - first < batch ? n - first : batch;
            for (int r = 0; r < rows; r++) {
                memcpy(xb + r * p, x + order[first + r] * p, p * sizeof(double));
                yb[r] = labels[order[first + r]];
            }
            forward(xb, rows, h);
            backward(xb, yb, rows, h);
            step(w1, gw1, h * p, lr); step(b1, gb1, h, lr);
            step(w2, gw2, k * h, lr); step(b2, gb2, k, lr);
        }
        /* The end-of-epoch metrics over all training rows, as exp measures them. */
        forward(x, n, h);
        double loss = 0;
        int correct = 0;
        for (int r = 0; r < n; r++) {
            const double *zr = z2 + r * k;
            int best = 0;
            for (int j = 1; j < k; j++) if (zr[j] > zr[best]) best = j;
            if (best == labels[r]) correct++;
            double l = (zr[best] - zr[labels[r]]) + log(sums[r]);
            loss += l > 0 ? l : 0;
        }
        *last_loss = loss / n;
        accuracy = (double)correct / n;
    }
    return accuracy;
}

static const char *option(int argc, char **argv, const char *name, const char *fallback) {
    for (int i = 1; i + 1 < argc; i++) if (strcmp(argv[i], name) == 0) return argv[i + 1];
    return fallback;
}

int main(int argc, char **argv) {
    load_iris(option(argc, argv, "--data", "Data/iris.data"));
    int h = atoi(option(argc, argv, "--hidden", "8"));
    int batch = atoi(option(argc, argv, "--batch", "16"));
    int epochs = atoi(option(argc, argv, "--epochs", "1000"));
    int repeats = atoi(option(argc, argv, "--repeats", "7"));
    double lr = atof(option(argc, argv, "--lr", "0.1"));
    if (h < 1 || h > MAX_HIDDEN || batch < 1) { fprintf(stderr, "mlp: bad --hidden or --batch\n"); return 2; }
    if (batch > n) batch = n;
    double accuracy = 0, loss = 0;
    double times[64], cpu[64];
    if (repeats < 0 || repeats > 63) { fprintf(stderr, "mlp: --repeats must be 0...63\n"); return 2; }
    for (int r = 0; r <= repeats; r++) {
        struct timespec t0, t1, c0, c1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
        accuracy = train(h, batch, epochs, lr, (uint64_t)r + 1, &loss);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        times[r] = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
        cpu[r] = (c1.tv_sec - c0.tv_sec) + (c1.tv_nsec - c0.tv_nsec) * 1e-9;
    }
    printf("{\"times\": [");
    for (int r = 1; r <= repeats; r++) printf("%s%.9f", r > 1 ? ", " : "", times[r]);
    printf("], \"cpu_times\": [");
    for (int r = 1; r <= repeats; r++) printf("%s%.9f", r > 1 ? ", " : "", cpu[r]);
    printf("], \"rows\": %d, \"train_accuracy\": %.6f, \"train_loss\": %.6f}\n", n, accuracy, loss);
    return 0;
}
