;; The WebAssembly SIMD pair of <quant-arena> (issue 9): one matmul on f32x4, one on int8 with exact
;; int32 accumulation, with the same loop structure, so that timing them side by side isolates the
;; data type. Assembled by scripts/build-wasm.mjs into src/wasm/kernels.generated.ts; loaded by
;; src/wasm/kernels.ts. Needs fixed-width SIMD (every current browser, Node >= 16.4).
;;
;; Layout ("_bt" in the names): C[m×n] = A[m×k] · B[k×n], with B given TRANSPOSED.
;;   A  : m rows of k elements, row-major (row i at a + i·k·esize)
;;   Bt : n rows of k elements, row-major (row j = column j of B, at bt + j·k·esize)
;;   C  : m rows of n elements, row-major, 4-byte elements (f32, or i32 for the int8 kernel)
;; so C[i,j] = dot(A row i, Bt row j), and every dot product runs along k over contiguous memory in
;; BOTH operands: 16 int8 codes or 4 floats per v128 load, with no gathers and no transposes. esize
;; is 4 (f32) or 1 (int8). All pointers are byte offsets into the exported memory; the loader keeps
;; them 16-byte aligned, although v128.load does not require it.
;;
;; Loop structure (identical in both kernels and in relaxed.wat):
;;   1. for each row i of A, for each block of 4 rows j..j+3 of Bt (j < n rounded down to 4):
;;        one A row against 4 Bt rows: $dot4 with 4 independent accumulators, so each A chunk is
;;        loaded once per 4 outputs and the 4 add chains overlap.
;;   2. for each remaining column j (n mod 4 of them; ALL of them when n < 4):
;;        4 rows of A against Bt row j (the same $dot4 with the roles swapped: the product commutes),
;;        then the last m mod 4 rows one at a time ($dot1).
;; Matrix-vector (n = 1, the memory-bound decode case: A = weights, Bt = the vector) takes step 2
;; only: the vector is loaded once per 4 weight rows, which stream through memory exactly once.
;;
;; Inside a dot product: a vector loop over the largest multiple of 4 (f32) or 16 (int8) elements of
;; k, then a scalar tail over the rest, then a horizontal sum of the 4 lanes.
(module
  (memory (export "memory") 1)

  ;; ---------------------------------------------------------------------------------------------
  ;; float32
  ;; ---------------------------------------------------------------------------------------------

  ;; Sum of the 4 lanes of an f32x4, as (l0 + l1) + (l2 + l3).
  (func $hsum_f32 (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; out + r·stride  <-  dot(s[0..k), pr[0..k)) for r = 0..3 (k floats each).
  (func $dot4_f32
    (param $s i32) (param $p0 i32) (param $p1 i32) (param $p2 i32) (param $p3 i32)
    (param $k i32) (param $out i32) (param $stride i32)
    (local $off i32) (local $end i32) (local $x v128)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local $xs f32) (local $r0 f32) (local $r1 f32) (local $r2 f32) (local $r3 f32)
    ;; vector part: bytes [0, end), end = 16·floor(k / 4)
    (local.set $end (i32.shl (i32.and (local.get $k) (i32.const -4)) (i32.const 2)))
    (if (i32.lt_u (local.get $off) (local.get $end))
      (then
        (loop $vec
          (local.set $x (v128.load (i32.add (local.get $s) (local.get $off))))
          (local.set $acc0 (f32x4.add (local.get $acc0)
            (f32x4.mul (local.get $x) (v128.load (i32.add (local.get $p0) (local.get $off))))))
          (local.set $acc1 (f32x4.add (local.get $acc1)
            (f32x4.mul (local.get $x) (v128.load (i32.add (local.get $p1) (local.get $off))))))
          (local.set $acc2 (f32x4.add (local.get $acc2)
            (f32x4.mul (local.get $x) (v128.load (i32.add (local.get $p2) (local.get $off))))))
          (local.set $acc3 (f32x4.add (local.get $acc3)
            (f32x4.mul (local.get $x) (v128.load (i32.add (local.get $p3) (local.get $off))))))
          (local.set $off (i32.add (local.get $off) (i32.const 16)))
          (br_if $vec (i32.lt_u (local.get $off) (local.get $end))))))
    (local.set $r0 (call $hsum_f32 (local.get $acc0)))
    (local.set $r1 (call $hsum_f32 (local.get $acc1)))
    (local.set $r2 (call $hsum_f32 (local.get $acc2)))
    (local.set $r3 (call $hsum_f32 (local.get $acc3)))
    ;; scalar tail: the last k mod 4 floats
    (local.set $end (i32.shl (local.get $k) (i32.const 2)))
    (if (i32.lt_u (local.get $off) (local.get $end))
      (then
        (loop $tail
          (local.set $xs (f32.load (i32.add (local.get $s) (local.get $off))))
          (local.set $r0 (f32.add (local.get $r0)
            (f32.mul (local.get $xs) (f32.load (i32.add (local.get $p0) (local.get $off))))))
          (local.set $r1 (f32.add (local.get $r1)
            (f32.mul (local.get $xs) (f32.load (i32.add (local.get $p1) (local.get $off))))))
          (local.set $r2 (f32.add (local.get $r2)
            (f32.mul (local.get $xs) (f32.load (i32.add (local.get $p2) (local.get $off))))))
          (local.set $r3 (f32.add (local.get $r3)
            (f32.mul (local.get $xs) (f32.load (i32.add (local.get $p3) (local.get $off))))))
          (local.set $off (i32.add (local.get $off) (i32.const 4)))
          (br_if $tail (i32.lt_u (local.get $off) (local.get $end))))))
    (f32.store (local.get $out) (local.get $r0))
    (local.set $out (i32.add (local.get $out) (local.get $stride)))
    (f32.store (local.get $out) (local.get $r1))
    (local.set $out (i32.add (local.get $out) (local.get $stride)))
    (f32.store (local.get $out) (local.get $r2))
    (local.set $out (i32.add (local.get $out) (local.get $stride)))
    (f32.store (local.get $out) (local.get $r3)))

  ;; out  <-  dot(p[0..k), q[0..k)) (k floats each).
  (func $dot1_f32 (param $p i32) (param $q i32) (param $k i32) (param $out i32)
    (local $off i32) (local $end i32) (local $acc v128) (local $r f32)
    (local.set $end (i32.shl (i32.and (local.get $k) (i32.const -4)) (i32.const 2)))
    (if (i32.lt_u (local.get $off) (local.get $end))
      (then
        (loop $vec
          (local.set $acc (f32x4.add (local.get $acc)
            (f32x4.mul
              (v128.load (i32.add (local.get $p) (local.get $off)))
              (v128.load (i32.add (local.get $q) (local.get $off))))))
          (local.set $off (i32.add (local.get $off) (i32.const 16)))
          (br_if $vec (i32.lt_u (local.get $off) (local.get $end))))))
    (local.set $r (call $hsum_f32 (local.get $acc)))
    (local.set $end (i32.shl (local.get $k) (i32.const 2)))
    (if (i32.lt_u (local.get $off) (local.get $end))
      (then
        (loop $tail
          (local.set $r (f32.add (local.get $r)
            (f32.mul
              (f32.load (i32.add (local.get $p) (local.get $off)))
              (f32.load (i32.add (local.get $q) (local.get $off))))))
          (local.set $off (i32.add (local.get $off) (i32.const 4)))
          (br_if $tail (i32.lt_u (local.get $off) (local.get $end))))))
    (f32.store (local.get $out) (local.get $r)))

  ;; C[m×n] (f32) = A[m×k] (f32) · Bt[n×k]ᵀ (f32). See the layout and loop structure above.
  (func (export "matmul_f32_bt")
    (param $a i32) (param $bt i32) (param $c i32) (param $m i32) (param $k i32) (param $n i32)
    (local $i i32) (local $j i32) (local $row i32) (local $crow i32)
    (local $arow i32) (local $brow i32) (local $m4 i32) (local $n4 i32)
    (local.set $row (i32.shl (local.get $k) (i32.const 2)))   ;; bytes per row of A and of Bt
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
                (call $dot4_f32
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
                (call $dot4_f32
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
                (call $dot1_f32
                  (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $row)))
                  (local.get $brow)
                  (local.get $k)
                  (i32.add (local.get $c)
                    (i32.add (i32.mul (local.get $i) (local.get $crow)) (i32.shl (local.get $j) (i32.const 2)))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $rows1))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $cols)))))

  ;; ---------------------------------------------------------------------------------------------
  ;; int8 × int8 -> int32, exact
  ;; ---------------------------------------------------------------------------------------------
  ;; Each 16-byte chunk is sign-extended to two i16x8 halves (i16x8.extend_{low,high}_i8x16_s) and
  ;; multiplied with i32x4.dot_i16x8_s, whose products and pairwise sums are formed in 32 bits: no
  ;; saturation, no wrap, for any int8 codes (−128 included). The int32 accumulator is exact while
  ;; |sum| < 2^31, i.e. for k < 2^31 / 128² = 131072 (the kit's sizes go up to 2048).

  ;; Sum of the 4 lanes of an i32x4.
  (func $hsum_i32 (param $v v128) (result i32)
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v)))))

  ;; Dot product of two chunks of 16 int8 codes, as 4 int32 partial sums. Used by $dot1_i8; $dot4_i8
  ;; writes it out by hand so that the shared chunk is sign-extended once for its 4 rows.
  (func $dot16_i8 (param $x v128) (param $y v128) (result v128)
    (i32x4.add
      (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $x)) (i16x8.extend_low_i8x16_s (local.get $y)))
      (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $x)) (i16x8.extend_high_i8x16_s (local.get $y)))))

  ;; out + r·stride  <-  dot(s[0..k), pr[0..k)) for r = 0..3 (k int8 codes each; int32 results).
  (func $dot4_i8
    (param $s i32) (param $p0 i32) (param $p1 i32) (param $p2 i32) (param $p3 i32)
    (param $k i32) (param $out i32) (param $stride i32)
    (local $off i32) (local $end i32) (local $xl v128) (local $xh v128) (local $y v128)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local $xs i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    ;; vector part: bytes [0, end), end = 16·floor(k / 16)
    (local.set $end (i32.and (local.get $k) (i32.const -16)))
    (if (i32.lt_u (local.get $off) (local.get $end))
      (then
        (loop $vec
          (local.set $y (v128.load (i32.add (local.get $s) (local.get $off))))
          (local.set $xl (i16x8.extend_low_i8x16_s (local.get $y)))
          (local.set $xh (i16x8.extend_high_i8x16_s (local.get $y)))
          (local.set $y (v128.load (i32.add (local.get $p0) (local.get $off))))
          (local.set $acc0 (i32x4.add (local.get $acc0) (i32x4.add
            (i32x4.dot_i16x8_s (local.get $xl) (i16x8.extend_low_i8x16_s (local.get $y)))
            (i32x4.dot_i16x8_s (local.get $xh) (i16x8.extend_high_i8x16_s (local.get $y))))))
          (local.set $y (v128.load (i32.add (local.get $p1) (local.get $off))))
          (local.set $acc1 (i32x4.add (local.get $acc1) (i32x4.add
            (i32x4.dot_i16x8_s (local.get $xl) (i16x8.extend_low_i8x16_s (local.get $y)))
            (i32x4.dot_i16x8_s (local.get $xh) (i16x8.extend_high_i8x16_s (local.get $y))))))
          (local.set $y (v128.load (i32.add (local.get $p2) (local.get $off))))
          (local.set $acc2 (i32x4.add (local.get $acc2) (i32x4.add
            (i32x4.dot_i16x8_s (local.get $xl) (i16x8.extend_low_i8x16_s (local.get $y)))
            (i32x4.dot_i16x8_s (local.get $xh) (i16x8.extend_high_i8x16_s (local.get $y))))))
          (local.set $y (v128.load (i32.add (local.get $p3) (local.get $off))))
          (local.set $acc3 (i32x4.add (local.get $acc3) (i32x4.add
            (i32x4.dot_i16x8_s (local.get $xl) (i16x8.extend_low_i8x16_s (local.get $y)))
            (i32x4.dot_i16x8_s (local.get $xh) (i16x8.extend_high_i8x16_s (local.get $y))))))
          (local.set $off (i32.add (local.get $off) (i32.const 16)))
          (br_if $vec (i32.lt_u (local.get $off) (local.get $end))))))
    (local.set $r0 (call $hsum_i32 (local.get $acc0)))
    (local.set $r1 (call $hsum_i32 (local.get $acc1)))
    (local.set $r2 (call $hsum_i32 (local.get $acc2)))
    (local.set $r3 (call $hsum_i32 (local.get $acc3)))
    ;; scalar tail: the last k mod 16 codes
    (if (i32.lt_u (local.get $off) (local.get $k))
      (then
        (loop $tail
          (local.set $xs (i32.load8_s (i32.add (local.get $s) (local.get $off))))
          (local.set $r0 (i32.add (local.get $r0)
            (i32.mul (local.get $xs) (i32.load8_s (i32.add (local.get $p0) (local.get $off))))))
          (local.set $r1 (i32.add (local.get $r1)
            (i32.mul (local.get $xs) (i32.load8_s (i32.add (local.get $p1) (local.get $off))))))
          (local.set $r2 (i32.add (local.get $r2)
            (i32.mul (local.get $xs) (i32.load8_s (i32.add (local.get $p2) (local.get $off))))))
          (local.set $r3 (i32.add (local.get $r3)
            (i32.mul (local.get $xs) (i32.load8_s (i32.add (local.get $p3) (local.get $off))))))
          (local.set $off (i32.add (local.get $off) (i32.const 1)))
          (br_if $tail (i32.lt_u (local.get $off) (local.get $k))))))
    (i32.store (local.get $out) (local.get $r0))
    (local.set $out (i32.add (local.get $out) (local.get $stride)))
    (i32.store (local.get $out) (local.get $r1))
    (local.set $out (i32.add (local.get $out) (local.get $stride)))
    (i32.store (local.get $out) (local.get $r2))
    (local.set $out (i32.add (local.get $out) (local.get $stride)))
    (i32.store (local.get $out) (local.get $r3)))

  ;; out  <-  dot(p[0..k), q[0..k)) (k int8 codes each; int32 result).
  (func $dot1_i8 (param $p i32) (param $q i32) (param $k i32) (param $out i32)
    (local $off i32) (local $end i32) (local $acc v128) (local $r i32)
    (local.set $end (i32.and (local.get $k) (i32.const -16)))
    (if (i32.lt_u (local.get $off) (local.get $end))
      (then
        (loop $vec
          (local.set $acc (i32x4.add (local.get $acc)
            (call $dot16_i8
              (v128.load (i32.add (local.get $p) (local.get $off)))
              (v128.load (i32.add (local.get $q) (local.get $off))))))
          (local.set $off (i32.add (local.get $off) (i32.const 16)))
          (br_if $vec (i32.lt_u (local.get $off) (local.get $end))))))
    (local.set $r (call $hsum_i32 (local.get $acc)))
    (if (i32.lt_u (local.get $off) (local.get $k))
      (then
        (loop $tail
          (local.set $r (i32.add (local.get $r)
            (i32.mul
              (i32.load8_s (i32.add (local.get $p) (local.get $off)))
              (i32.load8_s (i32.add (local.get $q) (local.get $off))))))
          (local.set $off (i32.add (local.get $off) (i32.const 1)))
          (br_if $tail (i32.lt_u (local.get $off) (local.get $k))))))
    (i32.store (local.get $out) (local.get $r)))

  ;; C[m×n] (int32) = A[m×k] (int8) · Bt[n×k]ᵀ (int8), exact. Same structure as matmul_f32_bt, with
  ;; rows of k bytes instead of 4k.
  (func (export "matmul_i8_bt")
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
                (call $dot4_i8
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
                (call $dot4_i8
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
                (call $dot1_i8
                  (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $row)))
                  (local.get $brow)
                  (local.get $k)
                  (i32.add (local.get $c)
                    (i32.add (i32.mul (local.get $i) (local.get $crow)) (i32.shl (local.get $j) (i32.const 2)))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $rows1))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $cols))))))
