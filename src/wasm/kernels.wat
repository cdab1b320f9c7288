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
          (br $cols)))))

;; ---------------------------------------------------------------------------------------------
;; Tiled matmul (issue 20): register-tiled 4×8 micro-kernels on packed operands
;; ---------------------------------------------------------------------------------------------
;; The _bt kernels above run each dot product along k and reduce it horizontally at the end; fine
;; for a matrix × vector (memory-bound), but in a matmul every output costs its own loads. These
;; compute a 4×8 tile of C at once in 8 v128 accumulators (4 rows × 2 vectors of 4 columns): per
;; step, 2 vector loads of B and 4 splat loads of A feed 8 multiply-accumulates, so each loaded
;; element serves 4 or 8 outputs and nothing is reduced horizontally. The three kernels (f32 here,
;; int8 exact here, int8 relaxed in relaxed.wat) share this tiling, loop nest and packing scheme;
;; only what one "step" of k holds differs, and with it the instruction:
;;   f32      1 k a step:  A 4 rows × 1 float, splat;  B 8 cols × 1 float  (2 × v128.load)
;;            acc += splat(a) · b                         (f32x4.mul + f32x4.add: 4 MACs / 2 ops)
;;   int8     2 k a step (c2):  A 4 rows × 2 int16 (int8 codes sign-extended when packed), the pair
;;            splat as one i32;  B 8 cols × 2 int8 codes (2 × v128.load8x8_s: load + sign-extend)
;;            acc += i32x4.dot_i16x8_s(splat(a pair), b pairs)        (8 MACs / 2 ops, exact)
;;   relaxed  4 k a step (c4):  A 4 rows × 4 int8, splat as one i32;  B 8 cols × 4 codes 0…127
;;            acc = i32x4.relaxed_dot_i8x16_i7x16_add_s(splat(a quad), b quads, acc)  (16 MACs / 1 op)
;; Packed layout (kernels.ts packs; zero padding, so ragged m, n, k cost nothing but padding):
;;   A: panels of 4 rows (m rounded up to mp, a multiple of 4); panel after panel, step after step,
;;      row after row: 16 bytes a step in all three kernels.
;;   B: panels of 8 columns (n rounded up to np, a multiple of 8); step after step, column after
;;      column: 32 bytes a step (f32, relaxed) or 16 (int8).
;;   C: mp × np row-major, 4-byte elements (the caller reads the m × n corner).
;; k is rounded up to whole steps with zero codes, whose products are 0: exact for the integers.
;; Loop nest: B panels outside, A panels inside, all of k in the micro-kernel: a B panel (8·k
;; elements) stays in L1/L2 while the A panels stream past it.

;; C[mp×np] (f32) = A · B from the packed panels (see "Tiled matmul" above): one k step = one float.
  (func (export "gemm_f32_4x8")
    (param $ap i32) (param $bp i32) (param $c i32) (param $mp i32) (param $steps i32) (param $np i32)
    (local $p i32) (local $q i32) (local $crow i32) (local $apanel i32) (local $bpanel i32)
    (local $a i32) (local $b i32) (local $end i32) (local $out i32)
    (local $x v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
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
                  (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
                  (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
                  (local.set $x (v128.load32_splat offset=4 (local.get $a)))
                  (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
                  (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
                  (local.set $x (v128.load32_splat offset=8 (local.get $a)))
                  (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
                  (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
                  (local.set $x (v128.load32_splat offset=12 (local.get $a)))
                  (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
                  (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
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

;; C[mp×np] (int32) = A · B, exact, from the packed panels: one step = a pair of k (c2).
  (func (export "gemm_i8_4x8c2")
    (param $ap i32) (param $bp i32) (param $c i32) (param $mp i32) (param $steps i32) (param $np i32)
    (local $p i32) (local $q i32) (local $crow i32) (local $apanel i32) (local $bpanel i32)
    (local $a i32) (local $b i32) (local $end i32) (local $out i32)
    (local $x v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $crow (i32.shl (local.get $np) (i32.const 2)))         ;; bytes per row of C
    (local.set $apanel (i32.shl (local.get $steps) (i32.const 4)))    ;; bytes per A panel (16 a step)
    (local.set $bpanel (i32.mul (local.get $steps) (i32.const 16)))  ;; bytes per B panel
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
                  (local.set $b0 (v128.load8x8_s (local.get $b)))
                  (local.set $b1 (v128.load8x8_s offset=8 (local.get $b)))
                  (local.set $x (v128.load32_splat (local.get $a)))
                  (local.set $c00 (i32x4.add (local.get $c00) (i32x4.dot_i16x8_s (local.get $x) (local.get $b0))))
                  (local.set $c01 (i32x4.add (local.get $c01) (i32x4.dot_i16x8_s (local.get $x) (local.get $b1))))
                  (local.set $x (v128.load32_splat offset=4 (local.get $a)))
                  (local.set $c10 (i32x4.add (local.get $c10) (i32x4.dot_i16x8_s (local.get $x) (local.get $b0))))
                  (local.set $c11 (i32x4.add (local.get $c11) (i32x4.dot_i16x8_s (local.get $x) (local.get $b1))))
                  (local.set $x (v128.load32_splat offset=8 (local.get $a)))
                  (local.set $c20 (i32x4.add (local.get $c20) (i32x4.dot_i16x8_s (local.get $x) (local.get $b0))))
                  (local.set $c21 (i32x4.add (local.get $c21) (i32x4.dot_i16x8_s (local.get $x) (local.get $b1))))
                  (local.set $x (v128.load32_splat offset=12 (local.get $a)))
                  (local.set $c30 (i32x4.add (local.get $c30) (i32x4.dot_i16x8_s (local.get $x) (local.get $b0))))
                  (local.set $c31 (i32x4.add (local.get $c31) (i32x4.dot_i16x8_s (local.get $x) (local.get $b1))))
                  (local.set $a (i32.add (local.get $a) (i32.const 16)))
                  (local.set $b (i32.add (local.get $b) (i32.const 16)))
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

  ;; The dequantization epilogue of the int8 paths, so that a run hands back float32 as the f32
  ;; kernel does without a JS loop over C: out[i·n + j] <- f32((C[i·cstride + j] − off[i]) · scale)
  ;; for i < m, j < n (out is compact m×n; C may be the padded tile output). The subtraction is in
  ;; int32 (exact: the zero-point correction off[i] is an integer), the product in float64 and one
  ;; rounding to float32: bit for bit what `Float32Array` stores of `(c − off) * scale` in JS.
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
