#pragma once

/// `streamlearn generate`: writes a synthetic stream (connectors/synthetic/), optionally with a
/// concept drift into a second one, as CSV or JSON Lines for `streamlearn evaluate`:
///
///   streamlearn generate 'agrawal(classification_function=0)' --n 100000 --seed 42
///       --drift-to 'agrawal(classification_function=2)' --drift-at 50000 --drift-width 1000
///       --output agrawal.csv

namespace streamlearn::cli {

int generate_command(int argc, char** argv, int first);

}  // namespace streamlearn::cli
