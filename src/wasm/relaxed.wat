;; The relaxed-SIMD int8 kernel of <quant-arena> (issue 9). A module of its own: a runtime without
;; relaxed SIMD rejects the WHOLE module at compile time, so the plain SIMD pair (kernels.wat) must
;; not depend on it. The loader checks WebAssembly.validate() first and reports the path as skipped.
;;
;; i32x4.relaxed_dot_i8x16_i7x16_add_s(x, y, acc) multiplies 16 int8 pairs, sums adjacent products
;; into 16-bit lanes, then adds pairs of those into acc's 4 int32 lanes: one instruction per 16
;; codes (x86 pmaddubsw + pmaddwd, Arm sdot), where kernels.wat needs 2 extensions per operand, 2
;; dot_i16x8_s and an add. Its result is specified (and the same everywhere) ONLY when every code
;; of the SECOND operand y is in 0…127: a y byte with its top bit set may be read as signed or as
;; unsigned, and the 16-bit sums may saturate or wrap, depending on the hardware. With y in 0…127
;; and x in −128…127, each 16-bit sum is at most 2·128·127 = 32512 in magnitude: no saturation, so
;; the result is EXACT.
;;
;; So the CALLER must quantize the Bt operand to 7-bit UNSIGNED codes (0…127), e.g. asymmetric codes
;; with a zero-point (and the zero-point correction of SPEC §3 applied to the int32 result) or
;; non-negative activations; A keeps symmetric int8 codes (−127…127). Nothing here checks the range
;; of Bt (the loader in kernels.ts does).
;;
;; Layout and loop structure: exactly those of matmul_i8_bt in kernels.wat (read its header):
;; C[m×n] (int32) = A[m×k] (int8) · Bt[n×k]ᵀ (7-bit unsigned codes, one byte each), row-major, byte
;; pointers into the exported memory. Only the roles are not interchangeable here, so the 4-row
;; block has two variants: $dot4_a (one A row × 4 Bt rows) and $dot4_b (4 A rows × one Bt row); both
;; keep A as the first (signed) operand and Bt as the second (7-bit) one.
(module
  (memory (export "memory") 1)

  ;; Sum of the 4 lanes of an i32x4.
  (func $hsum_i32 (param $v v128) (result i32)
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v)))))

  ;; out + r·stride  <-  dot(a[0..k), br[0..k)) for r = 0..3: one A row, 4 Bt rows.
  (func $dot4_a
    (param $a i32) (param $b0 i32) (param $b1 i32) (param $b2 i32) (param $b3 i32)
    (param $k i32) (param $out i32) (param $stride i32)
    (local $off i32) (local $end i32) (local $x v128)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local $xs i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local.set $end (i32.and (local.get $k) (i32.const -16)))
    (if (i32.lt_u (local.get $off) (local.get $end))
      (then
        (loop $vec
          (local.set $x (v128.load (i32.add (local.get $a) (local.get $off))))
          (local.set $acc0 (i32x4.relaxed_dot_i8x16_i7x16_add_s
            (local.get $x) (v128.load (i32.add (local.get $b0) (local.get $off))) (local.get $acc0)))
          (local.set $acc1 (i32x4.relaxed_dot_i8x16_i7x16_add_s
            (local.get $x) (v128.load (i32.add (local.get $b1) (local.get $off))) (local.get $acc1)))
          (local.set $acc2 (i32x4.relaxed_dot_i8x16_i7x16_add_s
            (local.get $x) (v128.load (i32.add (local.get $b2) (local.get $off))) (local.get $acc2)))
          (local.set $acc3 (i32x4.relaxed_dot_i8x16_i7x16_add_s
            (local.get $x) (v128.load (i32.add (local.get $b3) (local.get $off))) (local.get $acc3)))
          (local.set $off (i32.add (local.get $off) (i32.const 16)))
          (br_if $vec (i32.lt_u (local.get $off) (local.get $end))))))
    (local.set $r0 (call $hsum_i32 (local.get $acc0)))
    (local.set $r1 (call $hsum_i32 (local.get $acc1)))
    (local.set $r2 (call $hsum_i32 (local.get $acc2)))
    (local.set $r3 (call $hsum_i32 (local.get $acc3)))
    ;; scalar tail: the last k mod 16 codes (A signed, Bt unsigned)
    (if (i32.lt_u (local.get $off) (local.get $k))
      (then
        (loop $tail
          (local.set $xs (i32.load8_s (i32.add (local.get $a) (local.get $off))))
          (local.set $r0 (i32.add (local.get $r0)
            (i32.mul (local.get $xs) (i32.load8_u (i32.add (local.get $b0) (local.get $off))))))
          (local.set $r1 (i32.add (local.get $r1)
            (i32.mul (local.get $xs) (i32.load8_u (i32.add (local.get $b1) (local.get $off))))))
          (local.set $r2 (i32.add (local.get $r2)
            (i32.mul (local.get $xs) (i32.load8_u (i32.add (local.get $b2) (local.get $off))))))
          (local.set $r3 (i32.add (local.get $r3)
            (i32.mul (local.get $xs) (i32.load8_u (i32.add (local.get $b3) (local.get $off))))))
          (local.set $off (i32.add (local.get $off) (i32.const 1)))
          (br_if $tail (i32.lt_u (local.get $off) (local.get $k))))))
    (i32.store (local.get $out) (local.get $r0))
    (local.set $out (i32.add (local.get $out) (local.get $stride)))
    (i32.store (local.get $out) (local.get $r1))
    (local.set $out (i32.add (local.get $out) (local.get $stride)))
    (i32.store (local.get $out) (local.get $r2))
    (local.set $out (i32.add (local.get $out) (local.get $stride)))
    (i32.store (local.get $out) (local.get $r3)))

  ;; out + r·stride  <-  dot(ar[0..k), b[0..k)) for r = 0..3: 4 A rows, one Bt row.
  (func $dot4_b
    (param $b i32) (param $a0 i32) (param $a1 i32) (param $a2 i32) (param $a3 i32)
    (param $k i32) (param $out i32) (param $stride i32)
    (local $off i32) (local $end i32) (local $y v128)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local $ys i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local.set $end (i32.and (local.get $k) (i32.const -16)))
    (if (i32.lt_u (local.get $off) (local.get $end))
      (then
        (loop $vec
          (local.set $y (v128.load (i32.add (local.get $b) (local.get $off))))
          (local.set $acc0 (i32x4.relaxed_dot_i8x16_i7x16_add_s
            (v128.load (i32.add (local.get $a0) (local.get $off))) (local.get $y) (local.get $acc0)))
          (local.set $acc1 (i32x4.relaxed_dot_i8x16_i7x16_add_s
            (v128.load (i32.add (local.get $a1) (local.get $off))) (local.get $y) (local.get $acc1)))
          (local.set $acc2 (i32x4.relaxed_dot_i8x16_i7x16_add_s
            (v128.load (i32.add (local.get $a2) (local.get $off))) (local.get $y) (local.get $acc2)))
          (local.set $acc3 (i32x4.relaxed_dot_i8x16_i7x16_add_s
            (v128.load (i32.add (local.get $a3) (local.get $off))) (local.get $y) (local.get $acc3)))
          (local.set $off (i32.add (local.get $off) (i32.const 16)))
          (br_if $vec (i32.lt_u (local.get $off) (local.get $end))))))
    (local.set $r0 (call $hsum_i32 (local.get $acc0)))
    (local.set $r1 (call $hsum_i32 (local.get $acc1)))
    (local.set $r2 (call $hsum_i32 (local.get $acc2)))
    (local.set $r3 (call $hsum_i32 (local.get $acc3)))
    (if (i32.lt_u (local.get $off) (local.get $k))
      (then
        (loop $tail
          (local.set $ys (i32.load8_u (i32.add (local.get $b) (local.get $off))))
          (local.set $r0 (i32.add (local.get $r0)
            (i32.mul (i32.load8_s (i32.add (local.get $a0) (local.get $off))) (local.get $ys))))
          (local.set $r1 (i32.add (local.get $r1)
            (i32.mul (i32.load8_s (i32.add (local.get $a1) (local.get $off))) (local.get $ys))))
          (local.set $r2 (i32.add (local.get $r2)
            (i32.mul (i32.load8_s (i32.add (local.get $a2) (local.get $off))) (local.get $ys))))
          (local.set $r3 (i32.add (local.get $r3)
            (i32.mul (i32.load8_s (i32.add (local.get $a3) (local.get $off))) (local.get $ys))))
          (local.set $off (i32.add (local.get $off) (i32.const 1)))
          (br_if $tail (i32.lt_u (local.get $off) (local.get $k))))))
    (i32.store (local.get $out) (local.get $r0))
    (local.set $out (i32.add (local.get $out) (local.get $stride)))
    (i32.store (local.get $out) (local.get $r1))
    (local.set $out (i32.add (local.get $out) (local.get $stride)))
    (i32.store (local.get $out) (local.get $r2))
    (local.set $out (i32.add (local.get $out) (local.get $stride)))
    (i32.store (local.get $out) (local.get $r3)))

  ;; out  <-  dot(a[0..k), b[0..k)): one A row, one Bt row.
  (func $dot1 (param $a i32) (param $b i32) (param $k i32) (param $out i32)
    (local $off i32) (local $end i32) (local $acc v128) (local $r i32)
    (local.set $end (i32.and (local.get $k) (i32.const -16)))
    (if (i32.lt_u (local.get $off) (local.get $end))
      (then
        (loop $vec
          (local.set $acc (i32x4.relaxed_dot_i8x16_i7x16_add_s
            (v128.load (i32.add (local.get $a) (local.get $off)))
            (v128.load (i32.add (local.get $b) (local.get $off)))
            (local.get $acc)))
          (local.set $off (i32.add (local.get $off) (i32.const 16)))
          (br_if $vec (i32.lt_u (local.get $off) (local.get $end))))))
    (local.set $r (call $hsum_i32 (local.get $acc)))
    (if (i32.lt_u (local.get $off) (local.get $k))
      (then
        (loop $tail
          (local.set $r (i32.add (local.get $r)
            (i32.mul
              (i32.load8_s (i32.add (local.get $a) (local.get $off)))
              (i32.load8_u (i32.add (local.get $b) (local.get $off))))))
          (local.set $off (i32.add (local.get $off) (i32.const 1)))
          (br_if $tail (i32.lt_u (local.get $off) (local.get $k))))))
    (i32.store (local.get $out) (local.get $r)))

  ;; C[m×n] (int32) = A[m×k] (int8, −128…127) · Bt[n×k]ᵀ (0…127 ONLY), exact.
  (func (export "matmul_i8_relaxed_bt")
    (param $a i32) (param $bt i32) (param $c i32) (param $m i32) (param $k i32) (param $n i32)
    (local $i i32) (local $j i32) (local $row i32) (local $crow i32)
    (local $arow i32) (local $brow i32) (local $m4 i32) (local $n4 i32)
    (local.set $row (local.get $k))                            ;; bytes per row of A and of Bt
    (local.set $crow (i32.shl (local.get $n) (i32.const 2)))  ;; bytes per row of C
    (local.set $m4 (i32.and (local.get $m) (i32.const -4)))
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    ;; 1. one row of A × 4 rows of Bt -> C[i, j..j+3]
    (if (i32.gt_u (local.get $n4) (i32.const 0))
      (then
        (loop $rows
          (if (i32.lt_u (local.get $i) (local.get $m))
            (then
              (local.set $arow (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $row))))
              (local.set $j (i32.const 0))
              (loop $cols
                (local.set $brow (i32.add (local.get $bt) (i32.mul (local.get $j) (local.get $row))))
                (call $dot4_a
                  (local.get $arow)
                  (local.get $brow)
                  (i32.add (local.get $brow) (local.get $row))
                  (i32.add (local.get $brow) (i32.shl (local.get $row) (i32.const 1)))
                  (i32.add (local.get $brow) (i32.mul (local.get $row) (i32.const 3)))
                  (local.get $k)
                  (i32.add (local.get $c)
                    (i32.add (i32.mul (local.get $i) (local.get $crow)) (i32.shl (local.get $j) (i32.const 2))))
                  (i32.const 4))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                (br_if $cols (i32.lt_u (local.get $j) (local.get $n4))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $rows))))))
    ;; 2. the last n mod 4 columns: 4 rows of A × one row of Bt -> C[i..i+3, j], then single rows
    (local.set $j (local.get $n4))
    (loop $cols
      (if (i32.lt_u (local.get $j) (local.get $n))
        (then
          (local.set $brow (i32.add (local.get $bt) (i32.mul (local.get $j) (local.get $row))))
          (local.set $i (i32.const 0))
          (loop $rows4
            (if (i32.lt_u (local.get $i) (local.get $m4))
              (then
                (local.set $arow (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $row))))
                (call $dot4_b
                  (local.get $brow)
                  (local.get $arow)
                  (i32.add (local.get $arow) (local.get $row))
                  (i32.add (local.get $arow) (i32.shl (local.get $row) (i32.const 1)))
                  (i32.add (local.get $arow) (i32.mul (local.get $row) (i32.const 3)))
                  (local.get $k)
                  (i32.add (local.get $c)
                    (i32.add (i32.mul (local.get $i) (local.get $crow)) (i32.shl (local.get $j) (i32.const 2))))
                  (local.get $crow))
                (local.set $i (i32.add (local.get $i) (i32.const 4)))
                (br $rows4))))
          (loop $rows1
            (if (i32.lt_u (local.get $i) (local.get $m))
              (then
                (call $dot1
                  (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $row)))
                  (local.get $brow)
                  (local.get $k)
                  (i32.add (local.get $c)
                    (i32.add (i32.mul (local.get $i) (local.get $crow)) (i32.shl (local.get $j) (i32.const 2)))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $rows1))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $cols)))))

;; The 4×8 tiled kernel (issue 20): the tiling, packing and loop nest of gemm_f32_4x8 and
;; gemm_i8_4x8c2 in kernels.wat (read the "Tiled matmul" section there), with 4 k a step: each i32
;; lane of a B vector holds one column's 4 codes (0…127), the splat of A one row's 4 codes, and one
;; relaxed dot adds their 4 products into that column's accumulator lane.
;; C[mp×np] (int32) = A · B, exact for B codes 0…127, from the packed panels: one step = 4 k (c4).
;; The multiply is i16x8.relaxed_dot_i8x16_i7x16_s (the 16 products summed in adjacent pairs, 8
;; int16 lanes: |sum| ≤ 2·128·127 = 32512, no saturation, exact) widened and accumulated by
;; i32x4.dot_i16x8_s against a register of ones: the same arithmetic as the fused
;; i32x4.relaxed_dot_i8x16_i7x16_add_s, which on x86 without AVX-VNNI (this machine's Zen 4) V8
;; lowers to pmaddubsw + pmaddwd + paddd PLUS two instructions rebuilding the ones every time: 5
;; instructions a dot where this takes 3, measured 1.5× f32 against 2.5–2.8× for this form (issue 20).
;; The row-dot kernels above, memory-bound, keep the fused form.
  (func (export "gemm_i8_relaxed_4x8c4")
    (param $ap i32) (param $bp i32) (param $c i32) (param $mp i32) (param $steps i32) (param $np i32)
    (local $p i32) (local $q i32) (local $crow i32) (local $apanel i32) (local $bpanel i32)
    (local $a i32) (local $b i32) (local $end i32) (local $out i32)
    (local $x v128) (local $b0 v128) (local $b1 v128) (local $ones v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $ones (v128.const i16x8 1 1 1 1 1 1 1 1))
    (local.set $crow (i32.shl (local.get $np) (i32.const 2)))         ;; bytes per row of C
    (local.set $apanel (i32.shl (local.get $steps) (i32.const 4)))    ;; bytes per A panel (16 a step)
    (local.set $bpanel (i32.mul (local.get $steps) (i32.const 32)))  ;; bytes per B panel
    (block $qdone
      (loop $qloop
        (br_if $qdone (i32.ge_u (local.get $q) (local.get $np)))
        (local.set $p (i32.const 0))
        (local.set $a (local.get $ap))
        (block $pdone
          (loop $ploop
            (br_if $pdone (i32.ge_u (local.get $p) (local.get $mp)))
            (local.set $b (i32.add (local.get $bp) (i32.mul (i32.shr_u (local.get $q) (i32.const 3)) (local.get $bpanel))))
            (local.set $end (i32.add (local.get $a) (local.get $apanel)))
            (local.set $c00 (v128.const i32x4 0 0 0 0))
            (local.set $c01 (v128.const i32x4 0 0 0 0))
            (local.set $c10 (v128.const i32x4 0 0 0 0))
            (local.set $c11 (v128.const i32x4 0 0 0 0))
            (local.set $c20 (v128.const i32x4 0 0 0 0))
            (local.set $c21 (v128.const i32x4 0 0 0 0))
            (local.set $c30 (v128.const i32x4 0 0 0 0))
            (local.set $c31 (v128.const i32x4 0 0 0 0))
            (if (i32.lt_u (local.get $a) (local.get $end))
              (then
                (loop $kloop
                  (local.set $b0 (v128.load (local.get $b)))
                  (local.set $b1 (v128.load offset=16 (local.get $b)))
                  (local.set $x (v128.load32_splat (local.get $a)))
                  (local.set $c00 (i32x4.add (local.get $c00) (i32x4.dot_i16x8_s (i16x8.relaxed_dot_i8x16_i7x16_s (local.get $x) (local.get $b0)) (local.get $ones))))
                  (local.set $c01 (i32x4.add (local.get $c01) (i32x4.dot_i16x8_s (i16x8.relaxed_dot_i8x16_i7x16_s (local.get $x) (local.get $b1)) (local.get $ones))))
                  (local.set $x (v128.load32_splat offset=4 (local.get $a)))
                  (local.set $c10 (i32x4.add (local.get $c10) (i32x4.dot_i16x8_s (i16x8.relaxed_dot_i8x16_i7x16_s (local.get $x) (local.get $b0)) (local.get $ones))))
                  (local.set $c11 (i32x4.add (local.get $c11) (i32x4.dot_i16x8_s (i16x8.relaxed_dot_i8x16_i7x16_s (local.get $x) (local.get $b1)) (local.get $ones))))
                  (local.set $x (v128.load32_splat offset=8 (local.get $a)))
                  (local.set $c20 (i32x4.add (local.get $c20) (i32x4.dot_i16x8_s (i16x8.relaxed_dot_i8x16_i7x16_s (local.get $x) (local.get $b0)) (local.get $ones))))
                  (local.set $c21 (i32x4.add (local.get $c21) (i32x4.dot_i16x8_s (i16x8.relaxed_dot_i8x16_i7x16_s (local.get $x) (local.get $b1)) (local.get $ones))))
                  (local.set $x (v128.load32_splat offset=12 (local.get $a)))
                  (local.set $c30 (i32x4.add (local.get $c30) (i32x4.dot_i16x8_s (i16x8.relaxed_dot_i8x16_i7x16_s (local.get $x) (local.get $b0)) (local.get $ones))))
                  (local.set $c31 (i32x4.add (local.get $c31) (i32x4.dot_i16x8_s (i16x8.relaxed_dot_i8x16_i7x16_s (local.get $x) (local.get $b1)) (local.get $ones))))
                  (local.set $a (i32.add (local.get $a) (i32.const 16)))
                  (local.set $b (i32.add (local.get $b) (i32.const 32)))
                  (br_if $kloop (i32.lt_u (local.get $a) (local.get $end))))))
            (local.set $out (i32.add (local.get $c)
              (i32.add (i32.mul (local.get $p) (local.get $crow)) (i32.shl (local.get $q) (i32.const 2)))))
            (v128.store (local.get $out) (local.get $c00))
            (v128.store offset=16 (local.get $out) (local.get $c01))
            (local.set $out (i32.add (local.get $out) (local.get $crow)))
            (v128.store (local.get $out) (local.get $c10))
            (v128.store offset=16 (local.get $out) (local.get $c11))
            (local.set $out (i32.add (local.get $out) (local.get $crow)))
            (v128.store (local.get $out) (local.get $c20))
            (v128.store offset=16 (local.get $out) (local.get $c21))
            (local.set $out (i32.add (local.get $out) (local.get $crow)))
            (v128.store (local.get $out) (local.get $c30))
            (v128.store offset=16 (local.get $out) (local.get $c31))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $ploop)))
        (local.set $q (i32.add (local.get $q) (i32.const 8)))
        (br $qloop))))

;; The dequantization epilogue: a copy of dequant_i32 in kernels.wat (this module has its own memory).
  (func (export "dequant_i32")
    (param $c i32) (param $cstride i32) (param $off i32) (param $out i32) (param $m i32) (param $n i32)
    (param $scale f64)
    (local $i i32) (local $j i32) (local $n4 i32) (local $src i32) (local $dst i32) (local $o i32)
    (local $ov v128) (local $v v128) (local $s v128)
    (local.set $s (f64x2.splat (local.get $scale)))
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (block $idone
      (loop $iloop
        (br_if $idone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $o (i32.load (i32.add (local.get $off) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $ov (i32x4.splat (local.get $o)))
        (local.set $src
          (i32.add (local.get $c) (i32.shl (i32.mul (local.get $i) (local.get $cstride)) (i32.const 2))))
        (local.set $dst
          (i32.add (local.get $out) (i32.shl (i32.mul (local.get $i) (local.get $n)) (i32.const 2))))
        (local.set $j (i32.const 0))
        (block $vdone
          (loop $vloop
            (br_if $vdone (i32.ge_u (local.get $j) (local.get $n4)))
            (local.set $v (i32x4.sub (v128.load (local.get $src)) (local.get $ov)))
            (v128.store (local.get $dst)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                (f32x4.demote_f64x2_zero
                  (f64x2.mul (f64x2.convert_low_i32x4_s (local.get $v)) (local.get $s)))
                (f32x4.demote_f64x2_zero
                  (f64x2.mul
                    (f64x2.convert_low_i32x4_s
                      (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))
                    (local.get $s)))))
            (local.set $src (i32.add (local.get $src) (i32.const 16)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $vloop)))
        (block $sdone
          (loop $sloop
            (br_if $sdone (i32.ge_u (local.get $j) (local.get $n)))
            (f32.store (local.get $dst)
              (f32.demote_f64
                (f64.mul
                  (f64.convert_i32_s (i32.sub (i32.load (local.get $src)) (local.get $o)))
                  (local.get $scale))))
            (local.set $src (i32.add (local.get $src) (i32.const 4)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $sloop)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $iloop)))))
