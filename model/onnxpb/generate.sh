#!/bin/sh
# Regenerates onnx.pb.go from onnx.proto, the unmodified schema of ONNX
# 1.12.0 (Debian python3-onnx, /usr/lib/python3/dist-packages/onnx/onnx.proto).
#
# Needs protoc (Debian protobuf-compiler; 3.21.12 was used) and
#
#	go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
#
# onnx-go registers its own (internal) copy of the same messages under the
# protobuf package "onnx", and the Go protobuf registry panics at init on
# duplicate names. So protoc reads a copy whose package line alone is
# renamed to "emotion.onnx", at a path unique to this module. The package
# name is not part of the wire format: the types read and write standard
# ONNX files.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/emotion/model/onnxpb"
sed 's/^package onnx;$/package emotion.onnx;/' onnx.proto >"$tmp/emotion/model/onnxpb/onnx.proto"
grep -q '^package emotion.onnx;$' "$tmp/emotion/model/onnxpb/onnx.proto"
protoc -I "$tmp" \
	--go_out=. --go_opt=paths=source_relative \
	--go_opt=Memotion/model/onnxpb/onnx.proto=emotion/model/onnxpb \
	"$tmp/emotion/model/onnxpb/onnx.proto"
mv emotion/model/onnxpb/onnx.pb.go onnx.pb.go
rmdir -p emotion/model/onnxpb
