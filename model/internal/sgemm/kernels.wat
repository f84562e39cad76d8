;; The micro-kernel of sgemm.go with WebAssembly SIMD (see simd_wasm.go).
;; Pointers are byte offsets into Go's linear memory (imported as env.mem);
;; counts and leading dimensions are in float32 elements.
(module
  (import "env" "mem" (memory 0))

  ;; gemm: C[i][j] = Σ_l A[i][l]·B[l][j] for i < m (a multiple of 4), j < n
  ;; (a multiple of 8), l < k; with acc ≠ 0, C[i][j] = that sum + C[i][j].
  ;; A is row-major with leading dimension lda; B is packed in panels of 8
  ;; columns, each k-major (bp[q·8k + 8l + s] = B[l][8q+s]); C has leading
  ;; dimension ldc. Each element is one float32 accumulator summed in
  ;; order of l, as sgemm.go's kernel sums it, so results are bit-identical.
  (func (export "gemm") (param $a i32) (param $lda i32) (param $m i32) (param $bp i32) (param $k i32)
    (param $n i32) (param $c i32) (param $ldc i32) (param $acc i32)
    (local $i i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local $j i32) (local $p i32) (local $l i32) (local $kb i32) (local $cp i32) (local $rowb i32) (local $ldcb i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $rowb (i32.shl (local.get $lda) (i32.const 2)))
    (local.set $ldcb (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $kb (i32.shl (local.get $k) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $idone
      (loop $inext
        (br_if $idone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $r0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $rowb))))
        (local.set $r1 (i32.add (local.get $r0) (local.get $rowb)))
        (local.set $r2 (i32.add (local.get $r1) (local.get $rowb)))
        (local.set $r3 (i32.add (local.get $r2) (local.get $rowb)))
        (local.set $j (i32.const 0))
        (block $jdone
          (loop $jnext
            (br_if $jdone (i32.ge_u (local.get $j) (local.get $n)))
            ;; panel j/8 starts at bp + (j/8)·8k floats = bp + j·k·4 bytes
            (local.set $p (i32.add (local.get $bp) (i32.mul (local.get $j) (local.get $kb))))
            (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0))
            (local.set $c10 (v128.const i32x4 0 0 0 0)) (local.set $c11 (v128.const i32x4 0 0 0 0))
            (local.set $c20 (v128.const i32x4 0 0 0 0)) (local.set $c21 (v128.const i32x4 0 0 0 0))
            (local.set $c30 (v128.const i32x4 0 0 0 0)) (local.set $c31 (v128.const i32x4 0 0 0 0))
            (local.set $l (i32.const 0))
            (block $ldone
              (loop $lnext
                (br_if $ldone (i32.ge_u (local.get $l) (local.get $kb)))
                (local.set $b0 (v128.load (local.get $p)))
                (local.set $b1 (v128.load offset=16 (local.get $p)))
                (local.set $x (v128.load32_splat (i32.add (local.get $r0) (local.get $l))))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (i32.add (local.get $r1) (local.get $l))))
                (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (i32.add (local.get $r2) (local.get $l))))
                (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (i32.add (local.get $r3) (local.get $l))))
                (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $p (i32.add (local.get $p) (i32.const 32)))
                (local.set $l (i32.add (local.get $l) (i32.const 4)))
                (br $lnext)))
            ;; C rows i…i+3, columns j…j+7
            (local.set $cp (i32.add (local.get $c)
              (i32.add (i32.mul (local.get $i) (local.get $ldcb)) (i32.shl (local.get $j) (i32.const 2)))))
            (if (local.get $acc)
              (then
                (local.set $c00 (f32x4.add (local.get $c00) (v128.load (local.get $cp))))
                (local.set $c01 (f32x4.add (local.get $c01) (v128.load offset=16 (local.get $cp))))
                (local.set $c10 (f32x4.add (local.get $c10) (v128.load (i32.add (local.get $cp) (local.get $ldcb)))))
                (local.set $c11 (f32x4.add (local.get $c11) (v128.load offset=16 (i32.add (local.get $cp) (local.get $ldcb)))))
                (local.set $c20 (f32x4.add (local.get $c20) (v128.load (i32.add (local.get $cp) (i32.shl (local.get $ldcb) (i32.const 1))))))
                (local.set $c21 (f32x4.add (local.get $c21) (v128.load offset=16 (i32.add (local.get $cp) (i32.shl (local.get $ldcb) (i32.const 1))))))
                (local.set $c30 (f32x4.add (local.get $c30) (v128.load (i32.add (local.get $cp) (i32.mul (local.get $ldcb) (i32.const 3))))))
                (local.set $c31 (f32x4.add (local.get $c31) (v128.load offset=16 (i32.add (local.get $cp) (i32.mul (local.get $ldcb) (i32.const 3))))))))
            (v128.store (local.get $cp) (local.get $c00))
            (v128.store offset=16 (local.get $cp) (local.get $c01))
            (local.set $cp (i32.add (local.get $cp) (local.get $ldcb)))
            (v128.store (local.get $cp) (local.get $c10))
            (v128.store offset=16 (local.get $cp) (local.get $c11))
            (local.set $cp (i32.add (local.get $cp) (local.get $ldcb)))
            (v128.store (local.get $cp) (local.get $c20))
            (v128.store offset=16 (local.get $cp) (local.get $c21))
            (local.set $cp (i32.add (local.get $cp) (local.get $ldcb)))
            (v128.store (local.get $cp) (local.get $c30))
            (v128.store offset=16 (local.get $cp) (local.get $c31))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $jnext)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $inext)))
  )
)
