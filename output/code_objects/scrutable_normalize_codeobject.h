#ifndef _INCLUDED_scrutable_normalize_codeobject
#define _INCLUDED_scrutable_normalize_codeobject

void _run_scrutable_normalize_codeobject();


#endif
