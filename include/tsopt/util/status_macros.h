// Status propagation macros. Debian's Abseil (LTS 20220623) ships none, so the
// project defines its own here, once.
//
//   TSOPT_RETURN_IF_ERROR(graph.Validate());
//   TSOPT_ASSIGN_OR_RETURN(Shape s, InferOne(node));
#ifndef TSOPT_UTIL_STATUS_MACROS_H_
#define TSOPT_UTIL_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define TSOPT_STATUS_CONCAT_INNER_(a, b) a##b
#define TSOPT_STATUS_CONCAT_(a, b) TSOPT_STATUS_CONCAT_INNER_(a, b)

#define TSOPT_RETURN_IF_ERROR(expr)                      \
  do {                                                   \
    const ::absl::Status tsopt_status_ = (expr);         \
    if (!tsopt_status_.ok()) return tsopt_status_;       \
  } while (false)

#define TSOPT_ASSIGN_OR_RETURN(lhs, expr)                                    \
  TSOPT_ASSIGN_OR_RETURN_IMPL_(TSOPT_STATUS_CONCAT_(tsopt_statusor_, __LINE__), \
                               lhs, expr)

#define TSOPT_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                 \
  if (!statusor.ok()) return statusor.status();           \
  lhs = std::move(statusor).value()

#endif  // TSOPT_UTIL_STATUS_MACROS_H_
