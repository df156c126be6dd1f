#ifndef _INCLUDED_scrutable_exc_rest_codeobject
#define _INCLUDED_scrutable_exc_rest_codeobject

void _run_scrutable_exc_rest_codeobject();


#endif
