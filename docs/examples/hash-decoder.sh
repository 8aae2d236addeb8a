#!/bin/sh
# An etcd-dump-logs style --stream-decoder: reads one hex line per payload, answers "OK|<sha256 of the bytes>".
# It must print exactly one line per input line, and flush it (a shell's echo does).
while IFS= read -r line; do
  sum=$(printf '%s' "$line" | perl -e 'local $/; print pack("H*", <STDIN>)' | sha256sum | cut -d' ' -f1)
  echo "OK|$sum"
done
