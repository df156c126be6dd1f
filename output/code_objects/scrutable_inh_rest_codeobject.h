#ifndef _INCLUDED_scrutable_inh_rest_codeobject
#define _INCLUDED_scrutable_inh_rest_codeobject

void _run_scrutable_inh_rest_codeobject();


#endif
