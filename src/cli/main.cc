// tsopt command-line tool (placeholder until subcommands land).
#include <cstdio>
int main() { std::printf("tsopt\n"); return 0; }
