# Plots of vlmc-bench's summary.csv, one curve per codec (gnuplot 5.4,
# pngcairo). bench/rate_accuracy.sh runs it as
#   gnuplot -e "dir='OUT'; codecs='vlmc jpeg ...'; centernet_ref=0.52;
#               nanodet_ref=0.49" bench/rate_accuracy/plot.gp
# where *_ref are the detectors' mAP@0.5 on the uncompressed images vs the
# labels (uncompressed.csv). Writes OUT/map_centernet.png, map_nanodet.png,
# psnr.png and token_cosine.png.

set datafile separator ","
summary = dir."/summary.csv"
set terminal pngcairo noenhanced size 900,600 font "sans,11" linewidth 1.5
set grid
set key bottom right
set xlabel "bits per pixel"
set xrange [0:*]

# Columns by name; a row of another codec plots as nothing.
x(c) = strcol("codec") eq c ? column("bpp") : NaN
style(c) = c eq "vlmc" ? 3 : 1.5

set output dir."/psnr.png"
set title "PSNR vs rate"
set ylabel "PSNR (dB, RGB)"
plot for [c in codecs] summary using (x(c)):(column("psnr")) \
     with linespoints linewidth style(c) pointsize 1 title c

set output dir."/token_cosine.png"
set title "Token fidelity vs rate (CenterNet stride-16 tokens)"
set ylabel "mean token cosine to the original"
plot for [c in codecs] summary using (x(c)):(column("token_cosine")) \
     with linespoints linewidth style(c) pointsize 1 title c

# One figure per detector: against the labels (with the uncompressed
# images' mAP as a dashed line) and against pseudo ground truth.
do for [d in "centernet nanodet"] {
  ref = d eq "centernet" ? centernet_ref : nanodet_ref
  name = d eq "centernet" ? "CenterNet" : "NanoDet"
  set output dir."/map_".d.".png"
  set terminal pngcairo noenhanced size 1400,560 font "sans,11" linewidth 1.5
  set multiplot layout 1,2 title name." mAP@0.5 vs rate"
  set title "vs COCO labels"
  set ylabel "mAP@0.5"
  plot for [c in codecs] summary using (x(c)):(column(d."_map50_labels")) \
         with linespoints linewidth style(c) pointsize 1 title c, \
       ref with lines dashtype 2 linecolor "black" title "uncompressed"
  set title "vs its own detections on the original (score >= 0.3)"
  plot for [c in codecs] summary using (x(c)):(column(d."_map50_pseudo")) \
       with linespoints linewidth style(c) pointsize 1 title c
  unset multiplot
}
