# The boot timeline picture, from the data bench/report.py writes.
# Usage: gnuplot -e "data='build/bench/timeline.dat'; out='bench/timeline.svg'; n0=3; n1=6" bench/timeline.gp
# Block 0: y "row" start end colour "segment" last row-end  (ms since QEMU start, host)
# Block 1: y "milestone" start end colour       (ms since /init started, guest)

if (!exists("term")) term = "svg"
if (term eq "png") {
	set terminal pngcairo size 1000,640 font "sans,11" background rgb "white"
} else {
	set terminal svg size 1000,700 dynamic font "sans,11" background rgb "white"
}
set output out

set style fill solid 0.85 border rgb "#333333"
set linetype 1 lc rgb "#9e9e9e"
set linetype 2 lc rgb "#4e79a7"
set linetype 3 lc rgb "#59a14f"
set linetype 4 lc rgb "#f28e2b"
set linetype 5 lc rgb "#e15759"
set linetype 6 lc rgb "#b07aa1"
set grid xtics lc rgb "#dddddd"
set border 3
set xtics nomirror
set ytics nomirror scale 0
set offsets 0, graph 0.12, 0, 0

set multiplot layout 2,1 title "minilinux boot timeline" font "sans,14"

set lmargin 28
set title "Whole boot, median run (host ms since QEMU start)"
unset xlabel
set yrange [3.6:-0.6]
set key outside bottom center horizontal reverse Left samplen 1.5 width 2
plot data index 0 using (($3+$4)/2):1:3:4:($1-0.32):($1+0.32):5:ytic(2) \
	     with boxxyerror lc variable notitle, \
     '' index 0 using 8:1:($7 > 0 ? sprintf(" %.0f ms", $8) : "") with labels left font "sans,9" notitle, \
     NaN with boxes lt 1 title "QEMU, firmware, loader", \
     NaN with boxes lt 2 title "kernel", \
     NaN with boxes lt 3 title "/init to ready", \
     NaN with boxes lt 4 title "console ready to first HTTP 200", \
     NaN with boxes lt 5 title "trivial /init: power-off"

set title "/init milestones, median direct boot (guest ms since /init started)"
set yrange [n1-0.4:-0.6]
unset key
plot data index 1 using (($3+$4)/2):1:3:4:($1-0.32):($1+0.32):5:ytic(2) \
	     with boxxyerror lc variable notitle, \
     '' index 1 using 4:1:(sprintf(" %.0f ms", $4)) with labels left font "sans,9" notitle

unset multiplot
