/* bcryptprimitives.dll for Wine 8.0, which lacks it: cryptography's _rust.pyd imports
 * ProcessPrng (Windows 10+). Built by tools/wine/windows.sh into the Wine prefix's system32,
 * never into the Windows bundle (real Windows has its own). */
#include <windows.h>

/* RtlGenRandom: advapi32's SystemFunction036. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
    while (size > 0) {
        ULONG chunk = size > 0x40000000 ? 0x40000000 : (ULONG)size;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        size -= chunk;
    }
    return TRUE;
}
