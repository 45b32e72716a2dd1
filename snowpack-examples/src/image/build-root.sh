#!/bin/sh
# The container image's root file system, without a base image from a registry (none is reachable from every
# build): a jlink'd JRE from the JDK running the build, the C libraries that JRE links against (copied from this
# machine, found with ldd, at the paths ldd reports), /etc/passwd with the non-root user snowpack (10001) and /tmp.
# Usage: build-root.sh <jdk home> <output directory> <comma-separated modules> <app jar>. Linux only: the image
# is Linux. The app jar's native libraries for this machine (zstd, snappy...) count among what needs C libraries.
set -eu
jdk=$1
root=$2
modules=$3
jar=$4
here=$(cd "$(dirname "$0")" && pwd)

rm -rf "$root"
mkdir -p "$root/opt" "$root/etc" "$root/tmp"
root=$(cd "$root" && pwd)
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
    --output "$root/opt/java"
cp "$here/etc/passwd" "$here/etc/group" "$root/etc/"
# Programs the app runs: Hadoop's local file system (HadoopFileIO) sets file permissions with chmod when it has
# no native library; sh runs /bin/snowpack, the CLI's launcher (src/image/bin/snowpack).
mkdir -p "$root/bin"
for tool in chmod sh; do
    cp -L "$(command -v "$tool")" "$root/bin/$tool"
done

# What those programs, the launcher, the JVM and the JDK's native libraries need; AWT, sound and font libraries are left out
# (headless server, never loaded), so X11 and friends stay out of the image.
scanned=$(find "$root/bin" "$root/opt/java/bin/java" "$root/opt/java/lib" -type f \( -path "$root/bin/*" -o -name java -o -name '*.so' \) \
    | grep -Ev '/lib(awt|awt_xawt|awt_headless|fontmanager|jsound|splashscreen|lcms|javajpeg|mlib_image|jawt)\.so$')
natives="$root/../image-root-natives"
rm -rf "$natives"
mkdir -p "$natives"
case "$(uname -m)" in
    x86_64) arch='(amd64|x86_64)' ;;
    *) arch="$(uname -m)" ;;
esac
names=$("$jdk/bin/jar" tf "$jar" | grep -E "(^|/)[Ll]inux/$arch/[^/]+\.so$" || true)
if [ -n "$names" ]; then
    # shellcheck disable=SC2086
    (cd "$natives" && "$jdk/bin/jar" xf "$jar" $names)
    scanned="$scanned
$(find "$natives" -name '*.so')"
fi
# shellcheck disable=SC2086
deps=$(ldd $scanned 2>/dev/null)
# "not found" is fine for the JRE's own libraries (libjvm.so, libjava.so: loaded by the JVM before these).
for missing in $(echo "$deps" | awk '$2 == "=>" && $3 == "not" {print $1}' | sort -u); do
    if [ -z "$(find "$root/opt/java/lib" -name "$missing")" ]; then
        echo "build-root.sh: $missing, which the JRE needs, is missing on this machine" >&2
        exit 1
    fi
done
libs=$(echo "$deps" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && $2 ~ /^\(/ {print $1}' \
    | grep -v "^$root/" | sort -u)
libc=$(echo "$libs" | grep '/libc\.so\.' | head -n 1)
# Name-service modules glibc loads at run time (built into libc since 2.34; older glibc has them apart).
for extra in libnss_files.so.2 libnss_dns.so.2 libresolv.so.2; do
    if [ -e "$(dirname "$libc")/$extra" ]; then libs="$libs
$(dirname "$libc")/$extra"; fi
done
for lib in $libs; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
done
echo "$libs" > "$root/../image-root-libraries.txt"
# The CLI's launcher, a script: copied last, after ldd has scanned the programs in /bin.
cp "$here/bin/snowpack" "$root/bin/snowpack"
