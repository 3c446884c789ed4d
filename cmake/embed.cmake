# embed.cmake - turns a data file into a C source with a byte array, so the
# binary ships catalog/ data while the data stays an editable file.
# Called as: cmake -DIN=file -DOUT=file.c -DNAME=ident -P embed.cmake
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR len "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" body "${body}")
file(WRITE "${OUT}" "/* generated from ${IN}; do not edit */\n#include <stddef.h>\nconst unsigned char ag_res_${NAME}[] = {\n${body}0x00};\nconst size_t ag_res_${NAME}_len = ${len};\n")
