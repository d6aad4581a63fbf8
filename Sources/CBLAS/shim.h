#include <cblas.h>

/* LAPACK's Cholesky solve, from the same OpenBLAS library (it exports the LAPACK routines;
   Debian's headers do not declare them). Column-major, Fortran calling convention. */
void dposv_(const char *uplo, const int *n, const int *nrhs, double *a, const int *lda,
            double *b, const int *ldb, int *info);
