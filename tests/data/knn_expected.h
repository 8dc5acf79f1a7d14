/* KNNImputer(n_neighbors=2), scikit-learn 1.2.1 */
static const double knn_expected[7][3] = {
    {1.0, 2.0, 4.5},
    {3.0, 3.5, 6.0},
    {6.5, 8.0, 9.0},
    {2.0, 2.5, 3.0},
    {10.0, 11.0, 12.0},
    {4.0, 5.0, 4.5},
    {5.5, 1.0, 2.0},
};
