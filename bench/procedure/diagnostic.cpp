// Printing source positions (see diagnostic.hpp).
#include "bench/procedure/diagnostic.hpp"

namespace bwc::bench {

std::string to_string(const SourcePos& pos) {
    if (pos.line <= 0)
        return pos.file;
    return pos.file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
}

} // namespace bwc::bench
